package dev.recsys.core.sasrec;

import java.util.Arrays;

/**
 * The co-occurrence table's share in a {@link NeighbourBlend}, learnt from the stream on the measure that
 * matters to users: for each sampled event, every candidate share ranks the catalogue as the blend would, and
 * the NDCG@10 of what the user really did next is added to that share's (exponentially decayed) record; the
 * blend uses the share with the best record. Likelihood would be the textbook criterion for a mixture weight,
 * but it rewards the model's spread over the long tail, which a top 10 never shows (measured: EM settled at
 * 0.8 and ranked worse than the table alone). No per-dataset setting: the stream chooses.
 * <p>
 * The record is kept per band of history length (how many items the blend reads), because where the model
 * leads depends on it: a sequence model has the most to read in long histories, a table has the least to
 * average over in short ones. A band that has seen fewer than {@link #MIN_SAMPLES} events takes the share
 * chosen over all bands together.
 */
public final class BlendGate {

    /**
     * The shares tried: from the model alone to nearly the table alone. Not quite: where the table has no
     * vote the model's small share still orders the rest (the table alone would leave them in row order).
     * 0.999 and 0.9999 are the table's order with the model breaking its ties: at 0.99 the model's side
     * still outweighs the table's long tail of small votes (measured on ml-latest-small, where the table
     * leads: every share up to 0.99 ranked 2% below the table alone).
     */
    static final double[] SHARES = { 0, 0.25, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999, 0.9999 };
    /** Events before the record may overrule the starting share. */
    static final int MIN_SAMPLES = 100;
    /**
     * Upper bounds (exclusive) of the history-length bands, as {@code bin/stream-replay} segments its report:
     * 1-4, 5-19, 20-49, 50-199, 200 and more.
     */
    public static final int[] HISTORY_BANDS = { 5, 20, 50, 200, Integer.MAX_VALUE };
    /** The bands' names, for reports and metric labels (a closed set). */
    public static final String[] BAND_NAMES = { "1-4", "5-19", "20-49", "50-199", "200+" };

    private final double initial;
    private final double decay;
    private final int[] upper;
    /** One record per band, and the pooled one last. */
    private final double[][] record;
    private final long[] samples;
    private final double[] weights;

    /** A gate with one record for every history length. */
    public BlendGate(double initial, double decay) {
        this(initial, decay, new int[] { Integer.MAX_VALUE });
    }

    /**
     * @param initial the table's share until {@link #MIN_SAMPLES} events have been seen
     * @param decay   each event's record is worth {@code 1 - decay} of the next one's (about 1/decay events
     *                make its memory); 0 never learns
     * @param upper   the bands' exclusive upper bounds of history length, ascending, the last
     *                {@link Integer#MAX_VALUE}
     */
    public BlendGate(double initial, double decay, int[] upper) {
        if (!(initial >= 0 && initial <= 1) || !(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("blend gate: initial share must be in [0, 1] and decay in [0, 1), were "
                    + initial + " and " + decay);
        }
        if (upper.length == 0 || upper[upper.length - 1] != Integer.MAX_VALUE) {
            throw new IllegalArgumentException("blend gate: the last band must be open-ended");
        }
        this.initial = initial;
        this.decay = decay;
        this.upper = upper.clone();
        this.record = new double[upper.length + 1][SHARES.length];
        this.samples = new long[upper.length + 1];
        this.weights = new double[upper.length + 1];
        Arrays.fill(weights, initial);
    }

    /** A gate learnt per band of {@link #HISTORY_BANDS}: the worker's default. */
    public static BlendGate byHistoryLength(double initial, double decay) {
        return new BlendGate(initial, decay, HISTORY_BANDS);
    }

    /** A gate that never moves. */
    public static BlendGate fixed(double weight) {
        return new BlendGate(weight, 0);
    }

    /** The share chosen over all history lengths together: what a report shows as the gate's one figure. */
    public synchronized double weight() {
        return weights[upper.length];
    }

    /** The share for a history of this many items. */
    public synchronized double weight(int historyLength) {
        int b = band(historyLength);
        return samples[b] >= MIN_SAMPLES ? weights[b] : weights[upper.length];
    }

    /** The bands, or one when the gate does not tell history lengths apart. */
    public int bands() {
        return upper.length;
    }

    /** The share band {@code b} uses now. */
    public synchronized double bandWeight(int b) {
        return samples[b] >= MIN_SAMPLES ? weights[b] : weights[upper.length];
    }

    private int band(int historyLength) {
        int b = 0;
        while (historyLength >= upper[b]) {
            b++;
        }
        return b;
    }

    /** {@link #observe(float[], float[], int, boolean[], int)} for a gate of one band. */
    public void observe(float[] table, float[] model, int target, boolean[] excluded) {
        observe(table, model, target, excluded, 1);
    }

    /**
     * One event: both sides' distributions over the same rows before it happened, the row the user took, the
     * rows the blend would not have shown (the user's own items), and how many items the blend read.
     */
    public synchronized void observe(float[] table, float[] model, int target, boolean[] excluded,
            int historyLength) {
        if (decay == 0 || target <= 0 || target >= table.length) {
            return;
        }
        int b = band(historyLength);
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
            record[b][c] = (1 - decay) * record[b][c] + decay * ndcg;
            record[upper.length][c] = (1 - decay) * record[upper.length][c] + decay * ndcg;
        }
        learn(b);
        learn(upper.length);
    }

    private void learn(int b) {
        samples[b]++;
        if (samples[b] >= MIN_SAMPLES) {
            int best = 0;
            for (int c = 1; c < SHARES.length; c++) {
                if (record[b][c] > record[b][best]) {
                    best = c;
                }
            }
            weights[b] = record[b][best] > 0 ? SHARES[best] : initial;
        }
    }

    /** Events sampled over all bands. */
    public synchronized long samples() {
        return samples[upper.length];
    }
}
