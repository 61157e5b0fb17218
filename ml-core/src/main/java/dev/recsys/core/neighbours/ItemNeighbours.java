package dev.recsys.core.neighbours;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

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
 * <p>
 * The rows' memory is bounded in bytes ({@code maxBytes}, as HPPC accounts its maps): distinct pairs grow
 * with users long after items stop growing, so a cap per row alone allows {@code items x 5,000} entries. Past
 * the budget, {@link Pruning} drops the weakest entries across all rows down to {@link #PRUNE_TO} of it.
 */
public final class ItemNeighbours {

    /** A row holds at most this many neighbours; past it the weakest half goes (heavy hitters stay). */
    static final int MAX_NEIGHBOURS = 5_000;

    /** No bound in bytes: for tools and tests whose data is small by construction. */
    public static final long UNBOUNDED = Long.MAX_VALUE;

    /** The smallest budget a table takes: a few hundred rows. */
    static final long MIN_BYTES = 1 << 16;

    /** Past its budget a table is pruned to this share of it, so pruning is rare, not on every event. */
    static final double PRUNE_TO = 0.75;

    /** A row's own object (header, map reference, total) beside what HPPC accounts for its map. */
    static final long ROW_BYTES = 32;

    private final int window;
    private final boolean directed;
    private final long maxBytes;
    private final Object lock = new Object();
    /** Only the thread that took it prunes; the others go on observing meanwhile. */
    private final AtomicBoolean pruning = new AtomicBoolean();
    // Guarded by lock.
    private final Map<String, Integer> numbers = new HashMap<>();
    private String[] names = new String[1024];
    private Row[] rows = new Row[1024];
    private int items;
    private long links;
    /** The rows' bytes: HPPC's allocation of each map plus {@link #ROW_BYTES}. */
    private long bytes;
    private long pruned;
    private int prunings;
    private long pruneNanos;
    /**
     * Bytes past which the next pruning runs: the budget, or, where the rows' fixed cost alone keeps the table
     * above it, a quarter of a budget further, so an impossible budget costs a pruning now and then, not one
     * per event.
     */
    private long pruneAt;

    public ItemNeighbours(int window, boolean directed) {
        this(window, directed, UNBOUNDED);
    }

    /** @param maxBytes the rows' memory past which the weakest entries go (see {@link Pruning}) */
    public ItemNeighbours(int window, boolean directed, long maxBytes) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, was " + window);
        }
        if (maxBytes < MIN_BYTES) {
            throw new IllegalArgumentException("an item table needs at least 64 KiB, was given " + maxBytes + " bytes");
        }
        this.window = window;
        this.directed = directed;
        this.maxBytes = maxBytes;
        this.pruneAt = maxBytes;
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
                bytes += rows[from].add(to, w);
                if (!directed) {
                    bytes += rows[to].add(from, w);
                }
                links++;
            }
            if (bytes <= pruneAt) {
                return;
            }
        }
        pruneToBudget();
    }

    /**
     * Drops the weakest entries across every row until the rows fit {@link #PRUNE_TO} of the budget. It runs
     * on the observing thread, a slice of rows at a time under the lock, so scoring waits for one slice, never
     * for the whole table.
     */
    private void pruneToBudget() {
        if (!pruning.compareAndSet(false, true)) {
            return;
        }
        long began = System.nanoTime();
        try {
            long target = (long) (maxBytes * PRUNE_TO);
            // A cut found over bucketed shares may keep a little more than aimed at: then another round.
            for (int round = 0; round < 4 && bytes() > target; round++) {
                Pruning.Histogram histogram = new Pruning.Histogram();
                long before;
                long fixed;
                synchronized (lock) {
                    before = bytes;
                    fixed = items * Row.EMPTY_BYTES;
                }
                long[] entries = { 0 };
                inSlices(row -> entries[0] += histogram.count(row.counts, row.total));
                // Entries to keep, from what an entry costs now past every row's fixed cost (HPPC's maps
                // are at most 3/4 full, so the cost moves a little as they shrink).
                double perEntry = Math.max(1, before - fixed) / (double) Math.max(1, entries[0]);
                int cut = histogram.cutKeeping((long) (Math.max(0, target - fixed) / perEntry));
                inSlices(row -> {
                    int dropped = row.keepAbove(cut);
                    if (dropped > 0) {
                        bytes += row.reaccount();
                        pruned += dropped;
                    }
                });
                synchronized (lock) {
                    prunings++;
                }
            }
            synchronized (lock) {
                pruneAt = bytes <= maxBytes ? maxBytes : bytes + (long) (maxBytes * (1 - PRUNE_TO));
            }
        } finally {
            synchronized (lock) {
                pruneNanos += System.nanoTime() - began;
            }
            pruning.set(false);
        }
    }

    /** Visits every row, holding the lock for about {@link Pruning#SLICE} entries at a time. */
    private void inSlices(Consumer<Row> visit) {
        int n = 0;
        while (true) {
            synchronized (lock) {
                if (n >= items) {
                    return;
                }
                long visited = 0;
                for (; n < items && visited < Pruning.SLICE; n++) {
                    visited += rows[n].counts.size() + 1;
                    visit.accept(rows[n]);
                }
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
        bytes += rows[items].accounted;
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

    /** The rows' memory as HPPC accounts it, bounded by the budget this table was made with. */
    public long bytes() {
        synchronized (lock) {
            return bytes;
        }
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** The rows' bytes summed afresh, to check the running sum against. */
    long recountBytes() {
        synchronized (lock) {
            long sum = 0;
            for (int n = 0; n < items; n++) {
                sum += rows[n].bytes();
            }
            return sum;
        }
    }

    /** Entries dropped to stay within the budget, over the table's life. */
    public long prunedEntries() {
        synchronized (lock) {
            return pruned;
        }
    }

    /** Time spent pruning, on the observing thread (scoring waits for one slice at a time at most). */
    public long pruneNanos() {
        synchronized (lock) {
            return pruneNanos;
        }
    }

    /** Rounds of pruning run to stay within the budget. */
    public int prunings() {
        synchronized (lock) {
            return prunings;
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
                counts[n] = rows[n].counts == Row.NONE ? Row.NONE : rows[n].counts.clone();
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
            int[][] neighbours = new int[itemNames.length][];
            float[][] weights = new float[itemNames.length][];
            for (int n = 0; n < itemNames.length; n++) {
                int[] keys = counts[n].keys().toArray();
                Arrays.sort(keys);
                float[] w = new float[keys.length];
                for (int j = 0; j < keys.length; j++) {
                    w[j] = counts[n].get(keys[j]);
                }
                neighbours[n] = keys;
                weights[n] = w;
            }
            return new Image(window, directed, Arrays.asList(itemNames), neighbours, weights, linked);
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
            bytes = 0;
            for (int n = 0; n < items; n++) {
                rows[n] = new Row();
                bytes += rows[n].accounted;
            }
            // The image's numbers are the writer's: each becomes this table's own once.
            int[] local = new int[state.items().size()];
            for (int i = 0; i < local.length; i++) {
                local[i] = number(state.items().get(i));
            }
            for (int i = 0; i < local.length; i++) {
                int[] to = state.neighbours()[i];
                float[] w = state.weights()[i];
                for (int j = 0; j < to.length; j++) {
                    bytes += rows[local[i]].add(local[to[j]], w[j]);
                }
            }
            links = state.links();
            if (bytes <= pruneAt) {
                return;
            }
        }
        // A checkpoint written under a larger budget.
        pruneToBudget();
    }

    /**
     * A table's rows by number, as a checkpoint carries them: item {@code n} is {@code items.get(n)}, its
     * neighbours are {@code neighbours[n]} (numbers into {@code items}, ascending) with {@code weights[n]}.
     * Eight bytes an entry, where a map of ids cost about eighty: a checkpoint of a full table must not need
     * ten times the table's heap.
     */
    public record Image(int window, boolean directed, List<String> items, int[][] neighbours, float[][] weights,
            long links) {

        public Image {
            if (neighbours.length != items.size() || weights.length != items.size()) {
                throw new IllegalArgumentException("an item table image needs one row per item: " + items.size()
                        + " items, " + neighbours.length + " rows of neighbours, " + weights.length + " of weights");
            }
            for (int n = 0; n < neighbours.length; n++) {
                if (neighbours[n].length != weights[n].length) {
                    throw new IllegalArgumentException("row " + n + " has " + neighbours[n].length + " neighbours and "
                            + weights[n].length + " weights");
                }
                for (int j = 0; j < neighbours[n].length; j++) {
                    if (neighbours[n][j] < 0 || neighbours[n][j] >= items.size()
                            || (j > 0 && neighbours[n][j] <= neighbours[n][j - 1])) {
                        throw new IllegalArgumentException("row " + n + ": neighbour numbers must ascend within the "
                                + items.size() + " items, found " + neighbours[n][j]);
                    }
                }
            }
        }

        /** From rows by id (a checkpoint written before tables were numbered, or a test's hand-made table). */
        public static Image of(int window, boolean directed, Map<String, Map<String, Float>> rows, long links) {
            Map<String, Integer> numbers = new HashMap<>();
            List<String> items = new ArrayList<>();
            Function<String, Integer> number = id -> numbers.computeIfAbsent(id, k -> {
                items.add(k);
                return items.size() - 1;
            });
            new TreeMap<>(rows).forEach((item, row) -> {
                number.apply(item);
                new TreeMap<>(row).keySet().forEach(number::apply);
            });
            int[][] neighbours = new int[items.size()][];
            float[][] weights = new float[items.size()][];
            for (int n = 0; n < items.size(); n++) {
                Map<String, Float> row = rows.getOrDefault(items.get(n), Map.of());
                int[] keys = row.keySet().stream().mapToInt(numbers::get).sorted().toArray();
                float[] w = new float[keys.length];
                for (int j = 0; j < keys.length; j++) {
                    w[j] = row.get(items.get(keys[j]));
                }
                neighbours[n] = keys;
                weights[n] = w;
            }
            return new Image(window, directed, List.copyOf(items), neighbours, weights, links);
        }

        /** The rows by id, items without neighbours left out: for tests and tools, not for a full table. */
        public Map<String, Map<String, Float>> rows() {
            Map<String, Map<String, Float>> out = new HashMap<>();
            for (int n = 0; n < neighbours.length; n++) {
                if (neighbours[n].length == 0) {
                    continue;
                }
                Map<String, Float> row = new HashMap<>();
                for (int j = 0; j < neighbours[n].length; j++) {
                    row.put(items.get(neighbours[n][j]), weights[n][j]);
                }
                out.put(items.get(n), row);
            }
            return out;
        }

        /** Neighbour entries over every row. */
        public long entries() {
            long sum = 0;
            for (int[] row : neighbours) {
                sum += row.length;
            }
            return sum;
        }

        /** Equal when they hold the same rows by id, whatever the numbering. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Image other && window == other.window && directed == other.directed
                    && links == other.links && rows().equals(other.rows());
        }

        @Override
        public int hashCode() {
            return Objects.hash(window, directed, links, rows());
        }

        @Override
        public String toString() {
            return "ItemNeighbours.Image[window=" + window + ", directed=" + directed + ", items=" + items.size()
                    + ", entries=" + entries() + ", links=" + links + "]";
        }
    }

    /** One item's neighbours (by item number) and their summed weight. */
    private static final class Row {
        /**
         * Every row without neighbours shares this map and never writes to it: an empty HPPC map costs 149
         * bytes, which at a million items would be the whole budget of a small table.
         */
        static final IntFloatHashMap NONE = new IntFloatHashMap(0);

        IntFloatHashMap counts = NONE;
        double total;

        /** A row with no neighbours: the table's fixed cost per item. */
        static final long EMPTY_BYTES = new Row().bytes();

        /** What {@link #bytes()} was when last accounted into the table's sum. */
        long accounted = bytes();

        /** @return how many bytes the row grew by (less than 0 where it shrank to its cap) */
        long add(int other, float w) {
            IntFloatHashMap map = counts;
            int capacity = map.keys.length;
            if (counts == NONE) {
                counts = new IntFloatHashMap();
            }
            counts.addTo(other, w);
            total += w;
            if (counts.size() > MAX_NEIGHBOURS) {
                keepStrongest(MAX_NEIGHBOURS / 2);
            }
            // HPPC allocates only when it resizes: the common add costs no accounting.
            return counts == map && counts.keys.length == capacity ? 0 : reaccount();
        }

        /** Brings {@link #accounted} up to date; by how much it moved. */
        long reaccount() {
            long now = bytes();
            long delta = now - accounted;
            accounted = now;
            return delta;
        }

        long bytes() {
            return ROW_BYTES + (counts == NONE ? 0 : counts.ramBytesAllocated());
        }

        /** Drops the entries whose weight falls in a bucket past {@code cut}; how many went. */
        int keepAbove(int cut) {
            if (counts.isEmpty()) {
                return 0;
            }
            double rowTotal = total;
            int dropped = 0;
            for (IntFloatCursor c : counts) {
                if (Pruning.bucket(c.value, rowTotal) > cut) {
                    dropped++;
                }
            }
            if (dropped == 0) {
                return 0;
            }
            if (dropped == counts.size()) {
                counts = NONE;
                total = 0;
                return dropped;
            }
            IntFloatHashMap kept = new IntFloatHashMap(counts.size() - dropped);
            total = 0;
            for (IntFloatCursor c : counts) {
                if (Pruning.bucket(c.value, rowTotal) <= cut) {
                    kept.put(c.key, c.value);
                    total += c.value;
                }
            }
            counts = kept;
            return dropped;
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
