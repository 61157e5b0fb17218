package dev.recsys.core.neighbours;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.carrotsearch.hppc.IntFloatHashMap;
import com.carrotsearch.hppc.cursors.IntFloatCursor;

/**
 * Item-to-item counts learnt from users' positive sequences, one event at a time: when a user's new item
 * follows items already in their sequence, each of the last {@code window} of them is linked to it. Two
 * shapes of the same table:
 * <ul>
 * <li><b>co-occurrence</b> ({@code directed = false}): both directions, each link weighted 1/gap (the next
 * item 1, the one after 1/2, ...), so items a user takes up together count most;</li>
 * <li><b>first-order Markov chain</b> ({@code directed = true}, window 1): the count of "b right after a".</li>
 * </ul>
 * Counts never decay: the stream's order already makes recent neighbours the ones a user's recent items
 * point to. Items are numbered in order of first sight and rows are primitive maps (HPPC), so a vote adds
 * into an array with no hashing of ids. Updated by the feedback thread, read by the scoring
 * thread; one lock, held for microseconds.
 */
public final class ItemNeighbours {

    /** A row holds at most this many neighbours; past it the weakest half goes (heavy hitters stay). */
    static final int MAX_NEIGHBOURS = 5_000;

    private final int window;
    private final boolean directed;
    private final Object lock = new Object();
    // Guarded by lock.
    private final Map<String, Integer> numbers = new HashMap<>();
    private String[] names = new String[1024];
    private Row[] rows = new Row[1024];
    private int items;
    private long links;

    public ItemNeighbours(int window, boolean directed) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, was " + window);
        }
        this.window = window;
        this.directed = directed;
    }

    public static ItemNeighbours cooccurrence(int window) {
        return new ItemNeighbours(window, false);
    }

    public static ItemNeighbours markovChain() {
        return new ItemNeighbours(1, true);
    }

    /**
     * Links {@code item} with the user's preceding positive items.
     *
     * @param before the user's positive items before this one, oldest first (only the last {@code window}
     *               are read)
     */
    public void observe(List<String> before, String item) {
        synchronized (lock) {
            int to = -1;
            for (int gap = 1; gap <= Math.min(window, before.size()); gap++) {
                String earlier = before.get(before.size() - gap);
                if (earlier.equals(item)) {
                    continue; // a repeat says nothing about what goes with the item
                }
                if (to < 0) {
                    to = number(item);
                }
                int from = number(earlier);
                float w = 1f / gap;
                rows[from].add(to, w);
                if (!directed) {
                    rows[to].add(from, w);
                }
                links++;
            }
        }
    }

    /** Observes a whole sequence in order, each item against the ones before it (a rebuild, or a batch fit). */
    public void observeSequence(List<String> sequence) {
        for (int i = 0; i < sequence.size(); i++) {
            observe(sequence.subList(Math.max(0, i - window), i), sequence.get(i));
        }
    }

    private int number(String item) {
        Integer n = numbers.get(item);
        if (n != null) {
            return n;
        }
        if (items == names.length) {
            names = Arrays.copyOf(names, items * 2);
            rows = Arrays.copyOf(rows, items * 2);
        }
        names[items] = item;
        rows[items] = new Row();
        numbers.put(item, items);
        return items++;
    }

    /**
     * Each of {@code items} casts its row, normalised to sum 1 (what follows or goes with it, as a
     * distribution), times its weight; the sum is divided by the weight of the items that had a row, so the
     * votes sum to 1 when any item voted.
     */
    public Votes vote(List<String> items, double[] weights) {
        synchronized (lock) {
            double[] sum = null;
            int[] voted = null;
            int count = 0;
            double cast = 0;
            for (int i = 0; i < items.size(); i++) {
                Integer n = numbers.get(items.get(i));
                Row row = n == null ? null : rows[n];
                if (row == null || row.total <= 0) {
                    continue;
                }
                if (sum == null) {
                    sum = new double[this.items];
                    voted = new int[16];
                }
                double scale = weights[i] / row.total;
                for (IntFloatCursor c : row.counts) {
                    if (sum[c.key] == 0) {
                        if (count == voted.length) {
                            voted = Arrays.copyOf(voted, count * 2);
                        }
                        voted[count++] = c.key;
                    }
                    sum[c.key] += c.value * scale;
                }
                cast += weights[i];
            }
            if (count == 0) {
                return Votes.NONE;
            }
            for (int i = 0; i < count; i++) {
                sum[voted[i]] /= cast;
            }
            return new Votes(sum, voted, count, names);
        }
    }

    /** How much of {@code from}'s row goes to {@code to}: its share of the row's weight, 0 when none. */
    public double share(String from, String to) {
        synchronized (lock) {
            Integer f = numbers.get(from);
            Integer t = numbers.get(to);
            Row row = f == null ? null : rows[f];
            if (t == null || row == null || row.total <= 0) {
                return 0;
            }
            return row.counts.get(t) / row.total;
        }
    }

    public int window() {
        return window;
    }

    public boolean directed() {
        return directed;
    }

    /** Neighbour entries held over every row (what the table's heap grows with, up to each row's cap). */
    public long entries() {
        synchronized (lock) {
            long n = 0;
            for (int r = 0; r < items; r++) {
                n += rows[r] == null ? 0 : rows[r].counts.size();
            }
            return n;
        }
    }

    /** Links recorded in all (each counted once, whatever the direction). */
    public long links() {
        synchronized (lock) {
            return links;
        }
    }

    /** A copy of every row: a checkpoint's view. */
    public Image state() {
        return freeze().state();
    }

    /**
     * The rows as they are now, cheaply: only the primitive arrays are cloned under the lock (the feedback
     * thread waits for that part alone), and {@link Frozen#state()} builds the maps later, off every path.
     */
    public Frozen freeze() {
        synchronized (lock) {
            IntFloatHashMap[] counts = new IntFloatHashMap[items];
            for (int n = 0; n < items; n++) {
                counts[n] = rows[n].counts.clone();
            }
            return new Frozen(Arrays.copyOf(names, items), counts, links);
        }
    }

    /** A table's rows at one moment, as cloned primitive maps. */
    public final class Frozen {
        private final String[] itemNames;
        private final IntFloatHashMap[] counts;
        private final long linked;

        private Frozen(String[] itemNames, IntFloatHashMap[] counts, long linked) {
            this.itemNames = itemNames;
            this.counts = counts;
            this.linked = linked;
        }

        public Image state() {
            Map<String, Map<String, Float>> out = new HashMap<>(itemNames.length * 2);
            for (int n = 0; n < itemNames.length; n++) {
                if (counts[n].isEmpty()) {
                    continue;
                }
                Map<String, Float> row = new HashMap<>(counts[n].size() * 2);
                for (IntFloatCursor c : counts[n]) {
                    row.put(itemNames[c.key], c.value);
                }
                out.put(itemNames[n], row);
            }
            return new Image(window, directed, out, linked);
        }
    }

    /**
     * Replaces every count with a checkpoint's; its shape must be this table's. Items keep the numbers they
     * have (callers cache by them, see {@link Votes}): a serving shard takes up newer checkpoints while it serves.
     */
    public void restore(Image state) {
        if (state.window() != window || state.directed() != directed) {
            throw new IllegalArgumentException("checkpointed item table has window " + state.window() + (state.directed()
                    ? " (directed)" : "") + ", this worker's " + window + (directed ? " (directed)" : ""));
        }
        synchronized (lock) {
            for (int n = 0; n < items; n++) {
                rows[n] = new Row();
            }
            state.rows().forEach((item, neighbours) -> {
                int from = number(item);
                neighbours.forEach((other, w) -> rows[from].add(number(other), w));
            });
            links = state.links();
        }
    }

    /** @param rows by item: its neighbours and their weights */
    public record Image(int window, boolean directed, Map<String, Map<String, Float>> rows, long links) {
    }

    /** One item's neighbours (by item number) and their summed weight. */
    private static final class Row {
        IntFloatHashMap counts = new IntFloatHashMap();
        double total;

        void add(int other, float w) {
            counts.addTo(other, w);
            total += w;
            if (counts.size() > MAX_NEIGHBOURS) {
                keepStrongest(MAX_NEIGHBOURS / 2);
            }
        }

        /** Keeps the {@code keep} heaviest neighbours, so a row's memory and scoring cost stay bounded. */
        private void keepStrongest(int keep) {
            float[] sorted = counts.values().toArray();
            Arrays.sort(sorted);
            float cut = sorted[sorted.length - keep];
            IntFloatHashMap kept = new IntFloatHashMap(keep);
            // Strictly above the cut first, then ties at the cut until `keep` are in.
            for (int pass = 0; pass < 2; pass++) {
                for (IntFloatCursor c : counts) {
                    if (kept.size() < keep && (pass == 0 ? c.value > cut : c.value == cut)) {
                        kept.put(c.key, c.value);
                    }
                }
            }
            counts = kept;
            total = 0;
            for (IntFloatCursor c : counts) {
                total += c.value;
            }
        }
    }
}
