package dev.recsys.core.sasrec;

import java.util.ArrayList;
import java.util.List;

/**
 * Hands online training's weights to scoring: a copy of the model as a {@link ModelSnapshot}, with the grown
 * rows that have matured, and tells the listener which ingested events the snapshot now reflects (freshness).
 * A snapshot with a non-finite weight is never published. Used by the training thread only, but for the
 * count of unpublished steps, which others read.
 */
final class SnapshotPublisher {

    private final ServingModel serving;
    private final TrainingListener listener;
    private final String name;
    private final double matureNorm;
    private final long startedAtMillis = System.currentTimeMillis();
    private final List<Long> trainedSincePublish = new ArrayList<>();
    private volatile int stepsSincePublish;
    private long oldestUnpublishedMillis = Long.MAX_VALUE;

    /**
     * @param name       what snapshot versions are called: {@code name+steps}
     * @param matureNorm a grown row stands for its item once its norm reaches this
     */
    SnapshotPublisher(ServingModel serving, TrainingListener listener, String name, double matureNorm) {
        this.serving = serving;
        this.listener = listener;
        this.name = name;
        this.matureNorm = matureNorm;
    }

    /** A step trained on events ingested at {@code ingested}. */
    void stepped(List<Long> ingested) {
        stepsSincePublish++;
        trainedSincePublish.addAll(ingested);
        for (long t : ingested) {
            oldestUnpublishedMillis = Math.min(oldestUnpublishedMillis, t);
        }
    }

    /** How long the oldest event trained on and not yet served has waited since ingest (0: none waits). */
    long unpublishedAgeMillis(long nowMillis) {
        return oldestUnpublishedMillis == Long.MAX_VALUE ? 0 : Math.max(0, nowMillis - oldestUnpublishedMillis);
    }

    int unpublishedSteps() {
        return stepsSincePublish;
    }

    /**
     * Whether to publish now: something is unpublished and {@code publishEverySteps} steps wait, or the queue
     * ran dry, or one more step (of {@code nextStepMillis}) would carry a trained event past
     * {@code publishWithinMillis} since ingest. Judged before that step rather than after: an event trained
     * just under the deadline would otherwise wait a whole step more.
     */
    boolean due(OnlineTrainingConfig config, boolean queueEmpty, long nowMillis, double nextStepMillis) {
        return stepsSincePublish > 0 && (stepsSincePublish >= config.publishEverySteps() || queueEmpty
                || unpublishedAgeMillis(nowMillis) + nextStepMillis >= config.publishWithinMillis());
    }

    /** What serving has now, for messages. */
    String serving() {
        return serving.version().orElse("no snapshot");
    }

    /**
     * Publishes a copy of {@code model}'s weights.
     *
     * @throws ArithmeticException naming the parameters when a weight is not finite (nothing published)
     */
    void publish(SasRecModel model, long steps, int offlineRows) {
        long now = System.currentTimeMillis();
        SasRecModel.Weights weights = model.weights();
        List<String> broken = WeightHealth.nonFinite(weights);
        if (!broken.isEmpty()) {
            clear();
            throw new ArithmeticException("weights not finite after step " + steps + " in " + broken
                    + "; online training stopped, serving keeps " + serving());
        }
        SasRecModel copy = SasRecModel.of(model.config(), weights);
        ModelSnapshot snapshot = new ModelSnapshot(copy, name + "+" + steps, now,
                WeightHealth.matureRows(weights, model.config().dim(), offlineRows, matureNorm));
        serving.publish(snapshot);
        long[] fresh = trainedSincePublish.stream().mapToLong(Long::longValue).filter(t -> t >= startedAtMillis)
                .toArray();
        clear();
        listener.published(snapshot, fresh);
    }

    private void clear() {
        trainedSincePublish.clear();
        oldestUnpublishedMillis = Long.MAX_VALUE;
        stepsSincePublish = 0;
    }
}
