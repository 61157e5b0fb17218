package dev.recsys.core.sasrec;

/**
 * How the worker trains on live feedback.
 *
 * @param usersPerStep      users whose new events one step trains on
 * @param rehearsalPerStep     older sequences mixed into each step, so the model does not forget
 * @param lastTargets       most transitions per sequence that count in the loss: a touched user's new ones
 *                          (up to this many), a rehearsed prefix's last ones
 * @param publishEverySteps a snapshot for serving after this many steps (and whenever training goes idle)
 * @param publishWithinMillis a snapshot also as soon as an event trained on has waited this long since ingest:
 *                          while training lags the stream, every step publishes
 * @param rehearsalCapacity    users the rehearsal buffer samples from
 * @param matureFraction    a new item counts in inputs once its embedding's norm reaches this fraction of
 *                          the median norm of the starting model's items
 */
public record OnlineTrainingConfig(int usersPerStep, int rehearsalPerStep, int lastTargets, int publishEverySteps,
        long publishWithinMillis, int rehearsalCapacity, double matureFraction) {

    public OnlineTrainingConfig {
        if (usersPerStep < 1 || rehearsalPerStep < 0 || lastTargets < 1 || publishEverySteps < 1 || publishWithinMillis < 0
                || rehearsalCapacity < 1
                || !(matureFraction >= 0)) {
            throw new IllegalArgumentException("invalid online training config: " + this);
        }
    }

    public static OnlineTrainingConfig defaults() {
        return new OnlineTrainingConfig(16, 16, 8, 4, 500, 100_000, 0.5);
    }
}
