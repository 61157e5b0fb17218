package dev.recsys.core.sasrec;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Batched inference: the scores of every item row for each history, in one forward pass. */
public final class SasRecInference {

    private SasRecInference() {
    }

    /**
     * @param histories item rows in time order (unknown items already dropped)
     * @return one score per item row for each history; row 0 (padding) is meaningless
     */
    public static float[][] scores(SasRecModel model, List<int[]> histories) {
        GradMode.off();
        try (NDManager step = model.manager().newSubManager()) {
            return split(model.scoreLast(input(model, histories, step), step).toFloatArray(), histories.size());
        }
    }

    /**
     * Scores as {@link #scores}, and from the same pass each history's attention paths: per input position
     * (left-padded to the model's length), the vector whose dot product with an item's row is that position's
     * part of the item's score (see SasRecModel#scoreLastWithPaths).
     */
    public static Explained scoresWithPaths(SasRecModel model, List<int[]> histories) {
        GradMode.off();
        try (NDManager step = model.manager().newSubManager()) {
            NDList out = model.scoreLastWithPaths(input(model, histories, step), step);
            return new Explained(split(out.get(0).toFloatArray(), histories.size()),
                    split(out.get(1).toFloatArray(), histories.size()), model.config().maxLength());
        }
    }

    /**
     * @param paths per history, {@code length * dim} floats: position p's vector at {@code p * dim}
     */
    public record Explained(float[][] scores, float[][] paths, int length) {
    }

    /**
     * The {@code k} best rows for each history, selected where the model lives (on a GPU only k rows and
     * scores per history cross to the host instead of the whole catalogue's scores). Nothing is filtered:
     * padding and seen items may be among them.
     */
    public static TopK topK(SasRecModel model, List<int[]> histories, int k) {
        GradMode.off();
        try (NDManager step = model.manager().newSubManager()) {
            NDList best = model.scoreLast(input(model, histories, step), step).topK(k, -1, true, true);
            float[][] scores = split(best.get(0).toFloatArray(), histories.size());
            long[] flat = best.get(1).toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray();
            int[][] rows = new int[histories.size()][k];
            for (int b = 0; b < rows.length; b++) {
                for (int i = 0; i < k; i++) {
                    rows[b][i] = (int) flat[b * k + i];
                }
            }
            return new TopK(rows, scores);
        }
    }

    /** Per history, the best rows and their scores, best first. */
    public record TopK(int[][] rows, float[][] scores) {
    }

    /** The histories as one left-padded (batch, maxLength) input, each cut to its newest maxLength items. */
    private static NDArray input(SasRecModel model, List<int[]> histories, NDManager step) {
        int length = model.config().maxLength();
        long[] input = new long[histories.size() * length];
        for (int b = 0; b < histories.size(); b++) {
            int[] h = histories.get(b);
            int take = Math.min(h.length, length);
            for (int i = 0; i < take; i++) {
                input[b * length + length - take + i] = h[h.length - take + i];
            }
        }
        return step.create(input, new Shape(histories.size(), length));
    }

    private static float[][] split(float[] flat, int batch) {
        int each = flat.length / batch;
        float[][] out = new float[batch][];
        for (int b = 0; b < batch; b++) {
            out[b] = java.util.Arrays.copyOfRange(flat, b * each, (b + 1) * each);
        }
        return out;
    }
}
