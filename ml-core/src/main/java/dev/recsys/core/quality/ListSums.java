package dev.recsys.core.quality;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one stretch of the stream adds up to, list by list: the sums behind a {@link ListQuality}. Each list
 * is measured on its first {@link #K} items, so one list costs at most 45 pairs whatever k was asked.
 * Not thread-safe: its owner serialises calls.
 */
public final class ListSums {

    public static final int K = 10;

    private long lists;
    private long outcomes;
    private double hits;
    private double gain;
    private double genreDistance;
    private long genreLists;
    private double vectorDistance;
    private long vectorLists;
    private double novelty;
    private long noveltyLists;
    private double change;
    private long changeLists;
    private final Map<String, Integer> listed = new HashMap<>();
    /** The catalogue's size when the latest list was given: what coverage is taken over. */
    private int catalogue;

    /**
     * @param previous the same user's list before their latest event, or null
     */
    public void list(List<String> items, ItemTraits traits, ItemCounts counts, List<String> previous) {
        List<String> top = items.size() > K ? items.subList(0, K) : items;
        lists++;
        catalogue = Math.max(catalogue, counts.items());
        if (top.isEmpty()) {
            return;
        }
        double info = 0;
        for (String item : top) {
            listed.merge(item, 1, Integer::sum);
            info += counts.selfInformation(item);
        }
        novelty += info / top.size();
        noveltyLists++;
        double g = genreDistance(top, traits);
        if (!Double.isNaN(g)) {
            genreDistance += g;
            genreLists++;
        }
        double v = vectorDistance(top, traits);
        if (!Double.isNaN(v)) {
            vectorDistance += v;
            vectorLists++;
        }
        if (previous != null) {
            // Jaccard distance: an item dropped counts as much as one added (the user's own item leaving the
            // list is a change they see, even where nothing new can take its place).
            Set<String> before = new HashSet<>(previous.size() > K ? previous.subList(0, K) : previous);
            Set<String> union = new HashSet<>(before);
            union.addAll(top);
            long kept = top.stream().distinct().filter(before::contains).count();
            change += 1 - kept / (double) union.size();
            changeLists++;
        }
    }

    /** @param rank where the user's next positive item stood in the list (from 0), or -1 when it was not in it */
    public void outcome(int rank) {
        outcomes++;
        if (rank >= 0 && rank < K) {
            hits++;
            gain += gain(rank);
        }
    }

    /** NDCG@K of a list whose one relevant item stands at {@code rank} (from 0); 0 when it is -1 or past K. */
    static double gain(int rank) {
        return rank >= 0 && rank < K ? 1 / (Math.log(rank + 2) / Math.log(2)) : 0;
    }

    /** A list's first K items, as an unmodifiable copy to keep. */
    static List<String> top(List<String> items) {
        return List.copyOf(items.size() > K ? items.subList(0, K) : items);
    }

    public long lists() {
        return lists;
    }

    /** The sums of several stretches together, e.g. a whole replay from its time windows. */
    public static ListSums of(ListSums... parts) {
        ListSums all = new ListSums();
        for (ListSums p : parts) {
            all.lists += p.lists;
            all.outcomes += p.outcomes;
            all.hits += p.hits;
            all.gain += p.gain;
            all.genreDistance += p.genreDistance;
            all.genreLists += p.genreLists;
            all.vectorDistance += p.vectorDistance;
            all.vectorLists += p.vectorLists;
            all.novelty += p.novelty;
            all.noveltyLists += p.noveltyLists;
            all.change += p.change;
            all.catalogue = Math.max(all.catalogue, p.catalogue);
            all.changeLists += p.changeLists;
            p.listed.forEach((item, n) -> all.listed.merge(item, n, Integer::sum));
        }
        return all;
    }

    /** Coverage and Gini over the catalogue as it was at the latest list (at least the items listed). */
    public ListQuality summary() {
        int n = Math.max(catalogue, listed.size());
        return new ListQuality(lists, outcomes, ratio(hits, outcomes), ratio(gain, outcomes),
                ratio(genreDistance, genreLists), ratio(vectorDistance, vectorLists), ratio(novelty, noveltyLists),
                n == 0 ? Double.NaN : listed.size() / (double) n, gini(n), ratio(change, changeLists), n);
    }

    private static double ratio(double sum, long count) {
        return count == 0 ? Double.NaN : sum / count;
    }

    /**
     * {@code sum_i (2i - n - 1) x_i / (n sum x)}, x sorted ascending, i from 1, over all n catalogue items:
     * the items never listed are the first n - m, with x = 0, and add nothing.
     */
    private double gini(int n) {
        if (listed.isEmpty() || n < 2) {
            return Double.NaN;
        }
        int[] x = listed.values().stream().mapToInt(Integer::intValue).sorted().toArray();
        int m = x.length;
        double weighted = 0;
        double total = 0;
        for (int j = 0; j < m; j++) {
            long i = n - m + j + 1;
            weighted += (2 * i - n - 1) * (double) x[j];
            total += x[j];
        }
        return weighted / (n * total);
    }

    /** Mean {@code 1 - Jaccard} over pairs of items whose genres are known; NaN without such a pair. */
    static double genreDistance(List<String> items, ItemTraits traits) {
        double sum = 0;
        int pairs = 0;
        for (int i = 0; i < items.size(); i++) {
            Set<String> a = traits.genres(items.get(i));
            for (int j = i + 1; a != null && j < items.size(); j++) {
                Set<String> b = traits.genres(items.get(j));
                if (b != null) {
                    sum += 1 - jaccard(a, b);
                    pairs++;
                }
            }
        }
        return pairs == 0 ? Double.NaN : sum / pairs;
    }

    /** Two items with no genres are alike (both "none"), as bin/evaluate counts them. */
    public static double jaccard(Set<String> a, Set<String> b) {
        if (a.isEmpty() && b.isEmpty()) {
            return 1;
        }
        int both = 0;
        for (String x : a) {
            if (b.contains(x)) {
                both++;
            }
        }
        return both / (double) (a.size() + b.size() - both);
    }

    /** Mean cosine distance over pairs of items with vectors; NaN without such a pair. */
    static double vectorDistance(List<String> items, ItemTraits traits) {
        double sum = 0;
        int pairs = 0;
        for (int i = 0; i < items.size(); i++) {
            float[] a = traits.vector(items.get(i));
            for (int j = i + 1; a != null && j < items.size(); j++) {
                float[] b = traits.vector(items.get(j));
                if (b != null) {
                    sum += 1 - cosine(a, b);
                    pairs++;
                }
            }
        }
        return pairs == 0 ? Double.NaN : sum / pairs;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
