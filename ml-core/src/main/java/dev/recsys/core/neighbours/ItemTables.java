package dev.recsys.core.neighbours;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The item-to-item tables the worker keeps beside histories and popularity, updated by every positive
 * event: co-occurrence (a window of the user's recent items) and a first-order Markov chain. They are
 * baselines, candidates for the Transformer's blend, and what answers when there is no model.
 */
public record ItemTables(ItemNeighbours cooccurrence, ItemNeighbours markov) {

    /** Co-occurrence over the 5 preceding items: the window the replay's strongest table used. */
    public static final int COOCCURRENCE_WINDOW = 5;

    /** Both tables' rows together, the worker's default (worker.limits.max-item-table-bytes). */
    public static final long DEFAULT_BYTES = 512L << 20;

    public static ItemTables standard() {
        return withBudget(DEFAULT_BYTES);
    }

    /**
     * Both tables within {@code bytes} together, split as the links an event adds to each: up to
     * {@link #COOCCURRENCE_WINDOW} to the co-occurrence table (5/6 of the budget), one to the Markov chain.
     */
    public static ItemTables withBudget(long bytes) {
        long markov = bytes / (COOCCURRENCE_WINDOW + 1);
        if (markov < ItemNeighbours.MIN_BYTES) {
            // Said of the total, so the message names what the caller set (worker.limits.max-item-table-bytes).
            throw new IllegalArgumentException("the item tables need at least " + (COOCCURRENCE_WINDOW + 1)
                    * ItemNeighbours.MIN_BYTES + " bytes together (the Markov chain's sixth at least "
                    + ItemNeighbours.MIN_BYTES + "), was given " + bytes);
        }
        return new ItemTables(new ItemNeighbours(COOCCURRENCE_WINDOW, false, bytes - markov),
                new ItemNeighbours(1, true, markov));
    }

    /** Both tables' rows in bytes, as HPPC accounts them. */
    public long bytes() {
        return cooccurrence.bytes() + markov.bytes();
    }

    /** How many of a user's newest positive items {@link #observe} reads. */
    public int window() {
        return Math.max(cooccurrence.window(), markov.window());
    }

    /** @param before the user's positive items before {@code item}, oldest first (at least the last {@link #window()}) */
    public void observe(List<String> before, String item) {
        cooccurrence.observe(before, item);
        markov.observe(before, item);
    }

    /** Both tables by name, for a checkpoint. */
    public Map<String, ItemNeighbours.Image> state() {
        return freeze().state();
    }

    /** Both tables as they are now, cheaply (see {@link ItemNeighbours#freeze()}). */
    public Frozen freeze() {
        return new Frozen(cooccurrence.freeze(), markov.freeze());
    }

    /** Both tables at one moment; {@link #state()} builds the checkpoint's view of them. */
    public record Frozen(ItemNeighbours.Frozen cooccurrence, ItemNeighbours.Frozen markov) {
        public Map<String, ItemNeighbours.Image> state() {
            return Map.of("cooccurrence", cooccurrence.state(), "markov", markov.state());
        }
    }

    /**
     * Takes up a checkpoint's tables. A checkpoint written before the worker kept them has none: they are
     * rebuilt from the users' sequences (each user's last items, as the checkpoint kept them), which is all
     * of the stream that is left to learn them from.
     */
    public void restore(Map<String, ItemNeighbours.Image> state,
            Collection<List<String>> sequences) {
        if (state.containsKey("cooccurrence") && state.containsKey("markov")) {
            cooccurrence.restore(state.get("cooccurrence"));
            markov.restore(state.get("markov"));
            return;
        }
        for (List<String> sequence : sequences) {
            cooccurrence.observeSequence(sequence);
            markov.observeSequence(sequence);
        }
    }
}
