package dev.recsys.core;

import java.util.Set;

/**
 * Which items one query may return: never an excluded id or a hidden item, and, when categories are given,
 * only items in at least one of them. Built per request by the {@link Recommender}; read by scorers.
 */
public final class ItemFilter {

    private static final ItemCatalogue NO_CATALOGUE = new ItemCatalogue();

    private final ItemCatalogue catalogue;
    private final Set<String> categories;
    private final Set<String> excluded;

    /**
     * @param categories empty: any category
     * @param excluded   ids never to return (seen, turned down, or named by the caller)
     */
    public ItemFilter(ItemCatalogue catalogue, Set<String> categories, Set<String> excluded) {
        this.catalogue = catalogue;
        this.categories = categories;
        this.excluded = excluded;
    }

    /** Excludes the given ids and nothing else (no catalogue). */
    public static ItemFilter excluding(Set<String> excluded) {
        return new ItemFilter(NO_CATALOGUE, Set.of(), excluded);
    }

    /** The same filter, refusing {@code more} as well. */
    public ItemFilter alsoExcluding(Set<String> more) {
        Set<String> all = new java.util.HashSet<>(excluded);
        all.addAll(more);
        return new ItemFilter(catalogue, categories, all);
    }

    public boolean allows(String itemId) {
        return !excluded.contains(itemId) && !catalogue.hidden(itemId)
                && (categories.isEmpty() || catalogue.inAny(itemId, categories));
    }

    /**
     * The same decision for every vocabulary row below {@code rows} at once (row 0, padding, never). Costs
     * the size of the named categories, the hidden set and the exclusions, not of the catalogue.
     */
    public boolean[] allowedRows(ItemVocabulary vocabulary, int rows) {
        boolean[] allowed = new boolean[rows];
        if (categories.isEmpty()) {
            java.util.Arrays.fill(allowed, true);
        } else {
            for (String c : categories) {
                for (String item : catalogue.itemsIn(c)) {
                    set(allowed, vocabulary.row(item), true);
                }
            }
        }
        allowed[0] = false;
        for (String item : catalogue.hiddenItems()) {
            set(allowed, vocabulary.row(item), false);
        }
        for (String item : excluded) {
            set(allowed, vocabulary.row(item), false);
        }
        return allowed;
    }

    /**
     * The rows this filter refuses whatever the categories (hidden and excluded items), for a mask applied
     * where the scores are: costs the hidden set and the exclusions, not the catalogue.
     */
    public int[] blockedRows(ItemVocabulary vocabulary) {
        java.util.stream.IntStream.Builder rows = java.util.stream.IntStream.builder();
        for (String item : catalogue.hiddenItems()) {
            rows.add(vocabulary.row(item));
        }
        for (String item : excluded) {
            rows.add(vocabulary.row(item));
        }
        return rows.build().filter(r -> r > 0).distinct().toArray();
    }

    /** The rows of the named categories' items; null when no category is named (every row may be returned). */
    public int[] onlyRows(ItemVocabulary vocabulary) {
        if (categories.isEmpty()) {
            return null;
        }
        java.util.stream.IntStream.Builder rows = java.util.stream.IntStream.builder();
        for (String c : categories) {
            for (String item : catalogue.itemsIn(c)) {
                rows.add(vocabulary.row(item));
            }
        }
        return rows.build().filter(r -> r > 0).toArray();
    }

    private static void set(boolean[] allowed, int row, boolean value) {
        if (row > 0 && row < allowed.length) {
            allowed[row] = value;
        }
    }

    public Set<String> excluded() {
        return excluded;
    }

    public Set<String> categories() {
        return categories;
    }
}
