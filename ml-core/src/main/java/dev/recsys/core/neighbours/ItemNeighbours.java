package dev.recsys.core.neighbours;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 * point to. Updated by the feedback thread, read by the scoring thread; one lock, held for microseconds.
 */
public final class ItemNeighbours {

    /** A row holds at most this many neighbours; past it the weakest half goes (heavy hitters stay). */
    static final int MAX_NEIGHBOURS = 5_000;

    private final int window;
    private final boolean directed;
    private final Map<String, Row> rows = new HashMap<>();
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
        synchronized (rows) {
            for (int gap = 1; gap <= Math.min(window, before.size()); gap++) {
                String earlier = before.get(before.size() - gap);
                if (earlier.equals(item)) {
                    continue; // a repeat says nothing about what goes with the item
                }
                float w = 1f / gap;
                row(earlier).add(item, w);
                if (!directed) {
                    row(item).add(earlier, w);
                }
                links++;
            }
        }
    }

    private Row row(String item) {
        return rows.computeIfAbsent(item, i -> new Row());
    }

    /**
     * Adds {@code weight} times the row of {@code item}, normalised to sum 1 (what follows or goes with the
     * item, as a distribution), into {@code into}.
     *
     * @return whether the item had any neighbour
     */
    public boolean addNormalisedRow(String item, double weight, Map<String, double[]> into) {
        synchronized (rows) {
            Row r = rows.get(item);
            if (r == null || r.total <= 0) {
                return false;
            }
            double scale = weight / r.total;
            for (var e : r.counts.entrySet()) {
                into.computeIfAbsent(e.getKey(), k -> new double[1])[0] += e.getValue()[0] * scale;
            }
            return true;
        }
    }

    public int window() {
        return window;
    }

    public boolean directed() {
        return directed;
    }

    /** Links recorded in all (each counted once, whatever the direction). */
    public long links() {
        synchronized (rows) {
            return links;
        }
    }

    /** Items with at least one neighbour. */
    public int items() {
        synchronized (rows) {
            return rows.size();
        }
    }

    /** A copy of every row: a checkpoint's view (hash maps: the feedback thread waits while it is made). */
    public State state() {
        synchronized (rows) {
            Map<String, Map<String, Float>> out = new HashMap<>(rows.size() * 2);
            rows.forEach((item, r) -> {
                Map<String, Float> n = new HashMap<>(r.counts.size() * 2);
                r.counts.forEach((other, c) -> n.put(other, c[0]));
                out.put(item, n);
            });
            return new State(window, directed, out, links);
        }
    }

    /** Replaces every count with a checkpoint's; its shape must be this table's. */
    public void restore(State state) {
        if (state.window() != window || state.directed() != directed) {
            throw new IllegalArgumentException("checkpointed item table has window " + state.window() + (state.directed()
                    ? " (directed)" : "") + ", this worker's " + window + (directed ? " (directed)" : ""));
        }
        synchronized (rows) {
            rows.clear();
            state.rows().forEach((item, n) -> {
                Row r = row(item);
                n.forEach(r::add);
            });
            links = state.links();
        }
    }

    /** @param rows by item: its neighbours and their weights */
    public record State(int window, boolean directed, Map<String, Map<String, Float>> rows, long links) {
    }

    /** One item's neighbours and their summed weight. */
    private static final class Row {
        final HashMap<String, float[]> counts = new HashMap<>();
        double total;

        void add(String other, float w) {
            counts.computeIfAbsent(other, k -> new float[1])[0] += w;
            total += w;
            if (counts.size() > MAX_NEIGHBOURS) {
                prune();
            }
        }

        /** Keeps the stronger half, so a row's memory and scoring cost stay bounded. */
        private void prune() {
            List<Map.Entry<String, float[]>> byWeight = new java.util.ArrayList<>(counts.entrySet());
            byWeight.sort((a, b) -> Float.compare(b.getValue()[0], a.getValue()[0]));
            for (Map.Entry<String, float[]> weak : byWeight.subList(MAX_NEIGHBOURS / 2, byWeight.size())) {
                counts.remove(weak.getKey());
            }
            total = 0;
            for (float[] c : counts.values()) {
                total += c[0];
            }
        }
    }
}
