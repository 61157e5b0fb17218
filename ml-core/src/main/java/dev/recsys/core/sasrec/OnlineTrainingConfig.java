package dev.recsys.core.sasrec;

/**
 * How the worker trains on live feedback.
 *
 * @param usersPerStep      users whose new events one step trains on
 * @param rehearsalPerStep     older sequences mixed into each step, so the model does not forget
 * @param lastTargets       most transitions per sequence that count in the loss: a touched user's new ones
 *                          (up to this many), a rehearsed prefix's last ones
 * @param publishEverySteps a snapshot for serving after this many steps (and whenever training goes idle)
 * @param publishWithinMillis a snapshot also as soon as an event trained on would have waited this long since
 *                          ingest by the end of the next step: while training lags the stream, every step
 *                          publishes
 * @param rehearsalCapacity    users the rehearsal buffer samples from
 * @param matureFraction    a new item counts in inputs once its embedding's norm reaches this fraction of
 *                          the median norm of the starting model's items
 * @param maxPendingUsers   users with untrained events held at most; past it (or {@code maxPendingBytes}) the
 *                          one waiting longest is dropped unstepped
 * @param maxPendingBytes   the same bound in bytes (ids and ingest times)
 */
public record OnlineTrainingConfig(int usersPerStep, int rehearsalPerStep, int lastTargets, int publishEverySteps,
        long publishWithinMillis, int rehearsalCapacity, double matureFraction, int maxPendingUsers,
        long maxPendingBytes) {

    public OnlineTrainingConfig {
        if (usersPerStep < 1 || rehearsalPerStep < 0 || lastTargets < 1 || publishEverySteps < 1 || publishWithinMillis < 0
                || rehearsalCapacity < 1 || !(matureFraction >= 0) || maxPendingUsers < 1 || maxPendingBytes < 1) {
            throw new IllegalArgumentException("invalid online training config: " + this);
        }
    }

    /** With the default bounds on users waiting for a step. */
    public OnlineTrainingConfig(int usersPerStep, int rehearsalPerStep, int lastTargets, int publishEverySteps,
            long publishWithinMillis, int rehearsalCapacity, double matureFraction) {
        this(usersPerStep, rehearsalPerStep, lastTargets, publishEverySteps, publishWithinMillis, rehearsalCapacity,
                matureFraction, DEFAULT_MAX_PENDING_USERS, DEFAULT_MAX_PENDING_BYTES);
    }

    /** 100,000 users waiting: at 16 users a step, far more than any lag worth training through. */
    public static final int DEFAULT_MAX_PENDING_USERS = 100_000;
    /** 64 MiB. */
    public static final long DEFAULT_MAX_PENDING_BYTES = 64L << 20;

    public static OnlineTrainingConfig defaults() {
        return new OnlineTrainingConfig(16, 16, 8, 4, 500, 100_000, 0.5);
    }
}
