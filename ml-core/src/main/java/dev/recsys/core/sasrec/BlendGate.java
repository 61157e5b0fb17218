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
 * <p>
 * The table alone ({@link #TABLE}, share 1) is the incumbent: another share is taken only when its lead over
 * the table on the same events is more than {@code evidence} standard errors of that paired difference, as a
 * guarded A/B test would. Taking the plain best record chose the luckiest of the noisy records: on
 * ml-latest-small, where the two sides tie, that ranked 0.7% below the table alone. The table alone is judged
 * on where its own scorer ranked the item (popularity breaking its ties), not on the distribution's order,
 * whose ties would count against it.
 */
public final class BlendGate {

    /**
     * The shares tried: from the model alone to the table alone. Below 1, where the table has no vote the
     * model's small share still orders the rest; 0.999 and 0.9999 are nearly the table's order, the model
     * reordering only votes closer than its own small share (at 0.99 the model's side still outweighs the
     * table's long tail of small votes: measured on ml-latest-small, every share up to 0.99 ranked 2% below
     * the table alone). 1 is the table scorer itself, popularity breaking its ties and filling its list.
     */
    static final double[] SHARES = { 0, 0.25, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999, 0.9999, 1 };
    /** The incumbent: the table alone. */
    static final int TABLE = SHARES.length - 1;
    /** The list length the record ranks for (NDCG@10). */
    public static final int K = 10;
    /** Events before the record may overrule the starting share. */
    static final int MIN_SAMPLES = 100;
    /** Standard errors by which a share must beat the table alone before it is taken: the worker's default. */
    public static final double DEFAULT_EVIDENCE = 2;
    /** Each sampled event's weight in the record: the worker's default (about 1/decay events of memory). */
    public static final double DEFAULT_DECAY = 0.0005;
    /**
     * Upper bounds (exclusive) of the history-length bands, as {@code bin/stream-replay} segments its report:
     * 1-4, 5-19, 20-49, 50-199, 200 and more.
     */
    public static final int[] HISTORY_BANDS = { 5, 20, 50, 200, Integer.MAX_VALUE };
    /** The bands' names, for reports and metric labels (a closed set). */
    public static final String[] BAND_NAMES = { "1-4", "5-19", "20-49", "50-199", "200+" };

    private final double initial;
    private final double decay;
    private final double evidence;
    private final int[] upper;
    /** One record per band, and the pooled one last: each share's decayed NDCG@10 sum. */
    private final double[][] record;
    /** Each share's decayed sum of its squared NDCG@10 difference from the table alone, per band. */
    private final double[][] squares;
    /** The decayed sums of the events' weights and of their squares, per band (its effective sample size). */
    private final double[] weightSum;
    private final double[] weightSquares;
    private final long[] samples;
    private final double[] weights;

    /** A gate with one record for every history length. */
    public BlendGate(double initial, double decay) {
        this(initial, decay, new int[] { Integer.MAX_VALUE });
    }

    /** {@link #BlendGate(double, double, int[], double)} with {@link #DEFAULT_EVIDENCE}. */
    public BlendGate(double initial, double decay, int[] upper) {
        this(initial, decay, upper, DEFAULT_EVIDENCE);
    }

    /**
     * @param initial  the table's share until {@link #MIN_SAMPLES} events have been seen
     * @param decay    each event's record is worth {@code 1 - decay} of the next one's (about 1/decay events
     *                 make its memory); 0 never learns
     * @param upper    the bands' exclusive upper bounds of history length, ascending, the last
     *                 {@link Integer#MAX_VALUE}
     * @param evidence standard errors by which a share's paired lead over the table alone must exceed zero
     *                 before it is taken; 0 takes the best record
     */
    public BlendGate(double initial, double decay, int[] upper, double evidence) {
        if (!(initial >= 0 && initial <= 1) || !(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("blend gate: initial share must be in [0, 1] and decay in [0, 1), were "
                    + initial + " and " + decay);
        }
        if (!(evidence >= 0 && evidence <= 10)) {
            throw new IllegalArgumentException(
                    "blend gate: evidence must be in [0, 10] standard errors, was " + evidence);
        }
        if (upper.length == 0 || upper[upper.length - 1] != Integer.MAX_VALUE) {
            throw new IllegalArgumentException("blend gate: the last band must be open-ended");
        }
        this.initial = initial;
        this.decay = decay;
        this.evidence = evidence;
        this.upper = upper.clone();
        this.record = new double[upper.length + 1][SHARES.length];
        this.squares = new double[upper.length + 1][SHARES.length];
        this.weightSum = new double[upper.length + 1];
        this.weightSquares = new double[upper.length + 1];
        this.samples = new long[upper.length + 1];
        this.weights = new double[upper.length + 1];
        Arrays.fill(weights, initial);
    }

    /** A gate learnt per band of {@link #HISTORY_BANDS}: the worker's default. */
    public static BlendGate byHistoryLength(double initial, double decay) {
        return byHistoryLength(initial, decay, DEFAULT_EVIDENCE);
    }

    /** A gate learnt per band of {@link #HISTORY_BANDS}, taking a share on this much evidence. */
    public static BlendGate byHistoryLength(double initial, double decay, double evidence) {
        return new BlendGate(initial, decay, HISTORY_BANDS, evidence);
    }

    /** A gate that never moves. */
    public static BlendGate fixed(double weight) {
        return new BlendGate(weight, 0);
    }

    /** The share chosen over all history lengths together: what a report shows as the gate's one figure. */
    public synchronized double weight() {
        return weights[upper.length];
    }

    /** Whether a history of this many items is answered by the table alone (no forward pass is needed). */
    public boolean tableAlone(int historyLength) {
        return weight(historyLength) == 1;
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
     * {@link #observe(float[], float[], int, boolean[], int, int)} with the table alone ranked by its
     * distribution, rows tied with the target counted above it (the table's scorer breaks them by popularity).
     */
    public void observe(float[] table, float[] model, int target, boolean[] excluded, int historyLength) {
        if (target <= 0 || target >= table.length) {
            return;
        }
        int above = 0;
        for (int r = 1; r < table.length && above < K; r++) {
            if (r != target && !excluded[r] && table[r] >= table[target]) {
                above++;
            }
        }
        observe(table, model, target, excluded, historyLength, above < K ? above : -1);
    }

    /**
     * One event: both sides' distributions over the same rows before it happened, the row the user took, the
     * rows the blend would not have shown (the user's own items), how many items the blend read, and where the
     * table's own scorer ranked the row (0 first, -1 past its top 10): the table alone is judged on what it
     * serves.
     */
    public synchronized void observe(float[] table, float[] model, int target, boolean[] excluded,
            int historyLength, int tableRank) {
        if (decay == 0 || target <= 0 || target >= table.length) {
            return;
        }
        int b = band(historyLength);
        double[] ndcg = new double[SHARES.length];
        ndcg[TABLE] = tableRank >= 0 && tableRank < K ? 1 / (Math.log(tableRank + 2) / Math.log(2)) : 0;
        for (int c = 0; c < TABLE; c++) {
            double w = SHARES[c];
            double mine = (1 - w) * model[target] + w * table[target];
            int above = 0;
            // Rows tied with the target count above it: a ranking cannot promise the better half of a tie.
            for (int r = 1; r < table.length && above < K; r++) {
                if (r != target && !excluded[r] && (1 - w) * model[r] + w * table[r] >= mine) {
                    above++;
                }
            }
            ndcg[c] = above < K ? 1 / (Math.log(above + 2) / Math.log(2)) : 0;
        }
        remember(b, ndcg);
        remember(upper.length, ndcg);
    }

    private void remember(int b, double[] ndcg) {
        for (int c = 0; c < SHARES.length; c++) {
            double lead = ndcg[c] - ndcg[TABLE];
            record[b][c] = (1 - decay) * record[b][c] + decay * ndcg[c];
            squares[b][c] = (1 - decay) * squares[b][c] + decay * lead * lead;
        }
        weightSum[b] = (1 - decay) * weightSum[b] + decay;
        weightSquares[b] = (1 - decay) * (1 - decay) * weightSquares[b] + decay * decay;
        samples[b]++;
        if (samples[b] < MIN_SAMPLES) {
            return;
        }
        int best = TABLE;
        for (int c = 0; c < SHARES.length; c++) {
            if (record[b][c] > record[b][best] && convincing(b, c)) {
                best = c;
            }
        }
        weights[b] = record[b][best] > 0 ? SHARES[best] : initial;
    }

    /**
     * Whether share {@code c}'s mean lead over the table alone on the band's (decayed) events is more than
     * {@code evidence} standard errors: the weighted mean of the paired differences, its variance over the
     * effective sample size {@code (sum of weights)^2 / (sum of squared weights)}.
     */
    private boolean convincing(int b, int c) {
        double s1 = weightSum[b];
        double lead = (record[b][c] - record[b][TABLE]) / s1;
        double variance = Math.max(0, squares[b][c] / s1 - lead * lead);
        double standardError = Math.sqrt(variance * weightSquares[b]) / s1;
        return lead > evidence * standardError;
    }

    /** Events sampled over all bands. */
    public synchronized long samples() {
        return samples[upper.length];
    }
}
