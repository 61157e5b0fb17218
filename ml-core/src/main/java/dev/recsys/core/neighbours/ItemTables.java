package dev.recsys.core.neighbours;

import java.util.List;

/**
 * The item-to-item tables the worker keeps beside histories and popularity, updated by every positive
 * event: co-occurrence (a window of the user's recent items) and a first-order Markov chain. They are
 * baselines, candidates for the Transformer's blend, and what answers when there is no model.
 */
public record ItemTables(ItemNeighbours cooccurrence, ItemNeighbours markov) {

    /** Co-occurrence over the 5 preceding items: the window the replay's strongest table used. */
    public static final int COOCCURRENCE_WINDOW = 5;

    public static ItemTables standard() {
        return new ItemTables(ItemNeighbours.cooccurrence(COOCCURRENCE_WINDOW), ItemNeighbours.markovChain());
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
    public java.util.Map<String, ItemNeighbours.State> state() {
        return java.util.Map.of("cooccurrence", cooccurrence.state(), "markov", markov.state());
    }

    /** Takes up a checkpoint's tables; a table the checkpoint lacks stays empty. */
    public void restore(java.util.Map<String, ItemNeighbours.State> state) {
        java.util.Optional.ofNullable(state.get("cooccurrence")).ifPresent(cooccurrence::restore);
        java.util.Optional.ofNullable(state.get("markov")).ifPresent(markov::restore);
    }
}
