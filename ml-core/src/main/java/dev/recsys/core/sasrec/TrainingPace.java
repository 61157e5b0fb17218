package dev.recsys.core.sasrec;

/**
 * Asked between two batches of a long pass over the histories; may wait, so that more urgent training on the
 * same cores (the online steps that keep serving fresh) goes first. It returns on its own: a pass is never
 * held up without bound.
 */
@FunctionalInterface
public interface TrainingPace {

    TrainingPace NONE = () -> { };

    /** Returns when the next batch may start; an interrupt is kept on the thread and ends the wait. */
    void beforeBatch();
}
