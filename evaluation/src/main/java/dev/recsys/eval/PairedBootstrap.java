package dev.recsys.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * How far a ratio of two mean per-user metrics could move with another draw of test users: both means are
 * taken over the same resampled users, so what the two rankers share (hard and easy users) cancels out. It
 * says nothing of training randomness, which the spread over seeds shows.
 */
public final class PairedBootstrap {

    /** The ratio on all users and its central interval over resamples. */
    public record Interval(double estimate, double low, double high, double level, int resamples) {
    }

    private PairedBootstrap() {
    }

    /**
     * @param model     each user's metric for the model
     * @param baseline  the same users' metric for the baseline, in the same order
     * @param level     e.g. 0.95: the interval leaves (1 - level) / 2 of the resamples on each side
     */
    public static Interval ratioOfMeans(double[] model, double[] baseline, int resamples, double level, long seed) {
        if (model.length != baseline.length || model.length == 0) {
            throw new IllegalArgumentException("need the same users for both, at least one: got " + model.length
                    + " and " + baseline.length);
        }
        if (resamples < 1 || !(level > 0 && level < 1)) {
            throw new IllegalArgumentException("resamples must be at least 1 and level in (0, 1): got " + resamples
                    + " and " + level);
        }
        int n = model.length;
        SplittableRandom random = new SplittableRandom(seed);
        double[] ratios = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            double m = 0;
            double b = 0;
            for (int i = 0; i < n; i++) {
                int user = random.nextInt(n);
                m += model[user];
                b += baseline[user];
            }
            ratios[r] = m / b; // a resample where the baseline scores nothing gives +Infinity (or NaN), sorted last
        }
        Arrays.sort(ratios);
        double tail = (1 - level) / 2;
        return new Interval(sum(model) / sum(baseline), ratios[index(tail, resamples)],
                ratios[index(1 - tail, resamples)], level, resamples);
    }

    private static int index(double quantile, int count) {
        return Math.min(count - 1, Math.max(0, (int) Math.round(quantile * (count - 1))));
    }

    private static double sum(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s;
    }
}
