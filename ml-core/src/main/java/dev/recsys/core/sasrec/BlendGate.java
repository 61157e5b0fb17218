package dev.recsys.core.sasrec;

/**
 * The co-occurrence table's share in a {@link NeighbourBlend}, learnt from the stream on the measure that
 * matters to users: for each sampled event, every candidate share ranks the catalogue as the blend would, and
 * the NDCG@10 of what the user really did next is added to that share's (exponentially decayed) record; the
 * blend uses the share with the best record. Likelihood would be the textbook criterion for a mixture weight,
 * but it rewards the model's spread over the long tail, which a top 10 never shows (measured: EM settled at
 * 0.8 and ranked worse than the table alone). No per-dataset setting: the stream chooses.
 */
public final class BlendGate {

    /**
     * The shares tried: from the model alone to nearly the table alone. Not quite: where the table has no
     * vote the model's small share still orders the rest (the table alone would leave them in row order).
     */
    static final double[] SHARES = { 0, 0.25, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99 };
    /** Events before the record may overrule the starting share. */
    static final int MIN_SAMPLES = 100;

    private final double initial;
    private final double decay;
    private final double[] record = new double[SHARES.length];
    private volatile double weight;
    private long samples;

    /**
     * @param initial the table's share until {@link #MIN_SAMPLES} events have been seen
     * @param decay   each event's record is worth {@code 1 - decay} of the next one's (about 1/decay events
     *                make its memory); 0 never learns
     */
    public BlendGate(double initial, double decay) {
        if (!(initial >= 0 && initial <= 1) || !(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("blend gate: initial share must be in [0, 1] and decay in [0, 1), were "
                    + initial + " and " + decay);
        }
        this.initial = initial;
        this.weight = initial;
        this.decay = decay;
    }

    /** A gate that never moves. */
    public static BlendGate fixed(double weight) {
        return new BlendGate(weight, 0);
    }

    public double weight() {
        return weight;
    }

    /**
     * One event: both sides' distributions over the same rows before it happened, the row the user took, and
     * the rows the blend would not have shown (the user's own items).
     */
    public synchronized void observe(float[] table, float[] model, int target, boolean[] excluded) {
        if (decay == 0 || target <= 0 || target >= table.length) {
            return;
        }
        for (int c = 0; c < SHARES.length; c++) {
            double w = SHARES[c];
            double mine = (1 - w) * model[target] + w * table[target];
            int above = 0;
            // Rows tied with the target count above it: a ranking cannot promise the better half of a tie.
            for (int r = 1; r < table.length && above < 10; r++) {
                if (r != target && !excluded[r] && (1 - w) * model[r] + w * table[r] >= mine) {
                    above++;
                }
            }
            double ndcg = above < 10 ? 1 / (Math.log(above + 2) / Math.log(2)) : 0;
            record[c] = (1 - decay) * record[c] + decay * ndcg;
        }
        samples++;
        if (samples >= MIN_SAMPLES) {
            int best = 0;
            for (int c = 1; c < SHARES.length; c++) {
                if (record[c] > record[best]) {
                    best = c;
                }
            }
            weight = record[best] > 0 ? SHARES[best] : initial;
        }
    }

    public synchronized long samples() {
        return samples;
    }
}
