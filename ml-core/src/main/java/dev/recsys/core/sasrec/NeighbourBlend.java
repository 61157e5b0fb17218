package dev.recsys.core.sasrec;

import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.neighbours.NeighbourScorer;

/**
 * Mixes the Transformer's next-item distribution with an item-to-item table's: {@code (1 - w) * softmax(model)
 * + w * neighbours}. Both are probabilities over the same catalogue, so the mixture is one too, and each side
 * covers what the other misses: the table knows items the moment they are linked by feedback (the model only
 * once their rows are trained), the model generalises across users and the order of a whole history. Rows
 * the model has not trained yet take no share of the model's half; items the table links but the snapshot
 * has no row for still score from the table.
 */
public final class NeighbourBlend {

    private final NeighbourScorer neighbours;
    private final double weight;
    /** Experimental: mix log-probabilities (a product of experts) instead of probabilities. */
    private final boolean geometric;

    /** @param weight the table's share, in [0, 1] */
    public NeighbourBlend(NeighbourScorer neighbours, double weight) {
        this(neighbours, weight, false);
    }

    public NeighbourBlend(NeighbourScorer neighbours, double weight, boolean geometric) {
        this.geometric = geometric;
        if (!(weight >= 0 && weight <= 1)) {
            throw new IllegalArgumentException("blend weight must be in [0, 1], was " + weight);
        }
        this.neighbours = neighbours;
        this.weight = weight;
    }

    public double weight() {
        return weight;
    }

    /**
     * @param sequence the user's items, oldest first (all of them, known to the model or not)
     * @param logits   the model's score of every snapshot row
     * @param trained  whether the model's row stands for its item yet ({@link ModelSnapshot#mature})
     * @return one mixed probability per vocabulary row (at least as many rows as {@code logits})
     */
    public float[] mix(List<String> sequence, float[] logits, IntPredicate trained, ItemVocabulary vocabulary) {
        float[] out = new float[Math.max(logits.length, vocabulary.rows())];
        double max = Double.NEGATIVE_INFINITY;
        for (int r = 1; r < logits.length; r++) {
            if (trained.test(r)) {
                max = Math.max(max, logits[r]);
            }
        }
        double sum = 0;
        for (int r = 1; r < logits.length; r++) {
            if (trained.test(r)) {
                double e = Math.exp(logits[r] - max);
                out[r] = (float) e;
                sum += e;
            }
        }
        Map<String, double[]> votes = neighbours.distribution(sequence);
        double modelShare = votes.isEmpty() ? 1 : 1 - weight;
        if (sum > 0) {
            float scale = (float) (modelShare / sum);
            for (int r = 1; r < logits.length; r++) {
                out[r] *= scale;
            }
        }
        if (geometric) {
            float[] log = new float[out.length];
            double floor = 1e-6;
            // Rows the model has not trained have no opinion: they get the trained rows' mean log-probability.
            double meanLog = 0;
            int trainedRows = 0;
            for (int r = 1; r < logits.length; r++) {
                if (trained.test(r)) {
                    meanLog += Math.log(out[r] / modelShare + 1e-12);
                    trainedRows++;
                }
            }
            meanLog = trainedRows == 0 ? 0 : meanLog / trainedRows;
            for (int r = 1; r < out.length; r++) {
                double lp = r < logits.length && trained.test(r) ? Math.log(out[r] / modelShare + 1e-12) : meanLog;
                log[r] = (float) ((1 - weight) * lp + weight * Math.log(floor));
            }
            for (var v : votes.entrySet()) {
                int r = vocabulary.row(v.getKey());
                if (r > 0 && r < out.length) {
                    log[r] += (float) (weight * (Math.log(floor + v.getValue()[0]) - Math.log(floor)));
                }
            }
            return log;
        }
        for (var v : votes.entrySet()) {
            int r = vocabulary.row(v.getKey());
            if (r > 0 && r < out.length) {
                out[r] += (float) (weight * v.getValue()[0]);
            }
        }
        return out;
    }
}
