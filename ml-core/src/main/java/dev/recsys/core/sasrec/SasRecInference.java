package dev.recsys.core.sasrec;

import java.util.List;

import ai.djl.ndarray.NDArray;
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
        int length = model.config().maxLength();
        long[] input = new long[histories.size() * length];
        for (int b = 0; b < histories.size(); b++) {
            int[] h = histories.get(b);
            int take = Math.min(h.length, length);
            for (int i = 0; i < take; i++) {
                input[b * length + length - take + i] = h[h.length - take + i];
            }
        }
        try (NDManager step = model.manager().newSubManager()) {
            NDArray scores = model.scoreLast(step.create(input, new Shape(histories.size(), length)), step);
            float[] flat = scores.toFloatArray();
            int rows = model.rows();
            float[][] out = new float[histories.size()][];
            for (int b = 0; b < out.length; b++) {
                out[b] = java.util.Arrays.copyOfRange(flat, b * rows, (b + 1) * rows);
            }
            return out;
        }
    }
}
