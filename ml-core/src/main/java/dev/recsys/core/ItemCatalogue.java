package dev.recsys.core;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.recsys.wire.ItemUpdate;

/**
 * What is known about items beside their interactions: categories and whether they are hidden. One thread
 * applies updates (the items consumer); scoring reads concurrently and may see an update half applied for
 * a moment (an item briefly in both its old and new category), never a torn record.
 * <p>
 * A category leaves the index with its last item, so re-categorising items in a loop cannot grow it. What
 * the catalogue holds is counted in bytes ({@link #cost}) for the worker's budget.
 */
public final class ItemCatalogue {

    private final ConcurrentHashMap<String, ItemUpdate> items = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<String>> byCategory = new ConcurrentHashMap<>();
    private final Set<String> hidden = ConcurrentHashMap.newKeySet();
    private volatile long bytes;

    /**
     * What an entry costs by {@link IdBytes}: its id, and each category twice (in the entry, and as a member
     * of the category's index set).
     */
    public static long cost(ItemUpdate update) {
        long b = IdBytes.of(update.itemId());
        for (String c : update.categories()) {
            b += IdBytes.of(c) + IdBytes.ENTRY;
        }
        return b;
    }

    /** How many bytes applying {@code update} would add (negative when it shrinks the catalogue). */
    public long growth(ItemUpdate update) {
        ItemUpdate old = items.get(update.itemId());
        return cost(update) - (old == null ? 0 : cost(old));
    }

    /** What every entry costs, by {@link #cost}. */
    public long bytes() {
        return bytes;
    }

    /**
     * Replaces the item's metadata. Updates apply in the order the topic holds them, whatever their
     * timestamps: compaction keeps the last record per item, so a restarted worker rebuilding from the topic
     * ends with exactly what a running one holds. (Newest-timestamp-wins would not survive compaction.)
     */
    public void apply(ItemUpdate update) {
        ItemUpdate old = items.get(update.itemId());
        String id = update.itemId();
        // Hide first and show last, so a reader never sees a hidden item as visible in between.
        if (update.hidden()) {
            hidden.add(id);
        }
        for (String c : update.categories()) {
            byCategory.computeIfAbsent(c, x -> ConcurrentHashMap.newKeySet()).add(id);
        }
        if (old != null) {
            for (String c : old.categories()) {
                if (!update.categories().contains(c)) {
                    byCategory.computeIfPresent(c, (k, members) -> {
                        members.remove(id);
                        return members.isEmpty() ? null : members;
                    });
                }
            }
        }
        bytes += growth(update);
        items.put(id, update);
        if (!update.hidden()) {
            hidden.remove(id);
        }
    }

    public boolean hidden(String itemId) {
        return hidden.contains(itemId);
    }

    public Optional<ItemUpdate> get(String itemId) {
        return Optional.ofNullable(items.get(itemId));
    }

    /** Whether the item is in at least one of {@code categories}. */
    public boolean inAny(String itemId, Collection<String> categories) {
        ItemUpdate item = items.get(itemId);
        if (item == null) {
            return false;
        }
        for (String c : item.categories()) {
            if (categories.contains(c)) {
                return true;
            }
        }
        return false;
    }

    /** The items of a category, live (weakly consistent while updates are applied). */
    public Set<String> itemsIn(String category) {
        Set<String> members = byCategory.get(category);
        return members == null ? Set.of() : members;
    }

    /** The hidden items, live. */
    public Set<String> hiddenItems() {
        return hidden;
    }

    public int size() {
        return items.size();
    }

    /** Every entry, in no order: a checkpoint's copy (weakly consistent while updates are applied). */
    public java.util.List<ItemUpdate> entries() {
        return java.util.List.copyOf(items.values());
    }

    /** Replaces everything with a checkpoint's entries. Before the items consumer starts. */
    public void restore(java.util.List<ItemUpdate> entries) {
        items.clear();
        byCategory.clear();
        hidden.clear();
        bytes = 0;
        entries.forEach(this::apply);
    }

    /** Categories with at least one item. */
    public int categories() {
        return byCategory.size();
    }
}
