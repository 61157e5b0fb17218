package dev.recsys.core.sasrec;

/** What an operator wants to know about online training (the worker turns it into metrics). */
public interface TrainingListener {

    TrainingListener NONE = new TrainingListener() {
    };

    /** A gradient step on {@code sequences} sequences took {@code nanos}; {@code loss} before it. */
    default void stepped(double loss, int sequences, long nanos) {
    }

    /**
     * A snapshot is being served; {@code ingestedAtMillis} are the ingest times of the events it is the first
     * to have been trained on (events from before the trainer started are left out).
     */
    default void published(ModelSnapshot snapshot, long[] ingestedAtMillis) {
    }

    /** A step failed; training goes on with the next one. */
    default void failed(RuntimeException error) {
    }
}
