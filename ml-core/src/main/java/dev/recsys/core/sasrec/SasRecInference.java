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
     * Masks, selects and normalises where the model lives (see {@link CandidateRequest}): per history only its
     * best k allowed rows, the named rows' scores and two normaliser floats cross to the host, instead of a
     * score for every row of the catalogue.
     */
    public static Candidates candidates(SasRecModel model, List<int[]> histories, CandidateRequest request) {
        GradMode.off();
        int batch = histories.size();
        try (NDManager step = model.manager().newSubManager()) {
            // The one catalogue-sized array: everything below works in it in place or reads a few rows out of
            // it (a fresh catalogue-sized buffer per step costs more in page faults than the arithmetic).
            NDArray all = model.scoreLast(input(model, histories, step), step);
            long rows = all.getShape().get(1);
            NDArray flat = all.reshape(-1);
            minusInfinity(flat, untrained(request.untrained(), batch, rows), step);
            float[] named = take(flat, namedRows(request, rows), step);
            long[] blocked = blocked(request, rows);
            NDArray max = null;
            float[] blockedScores = new float[0];
            if (request.normalise()) {
                max = all.max(new int[] { 1 }, true);
                blockedScores = take(flat, blocked, step);
            }
            boolean listed = request.masks().stream().anyMatch(m -> m.only() != null);
            NDArray selectable = listed ? allowedOnly(flat, request, rows, step) : flat;
            minusInfinity(selectable, blocked, step);
            int k = (int) Math.min(request.k(), rows);
            NDList best = selectable.reshape(batch, rows).topK(k, 1, true, true);
            float[] bestScores = best.get(0).toFloatArray();
            long[] bestRows = best.get(1).toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray();
            float[] maxOut = new float[batch];
            float[] sumExp = new float[batch];
            if (max != null) {
                maxOut = max.toFloatArray();
                sumExp = all.subi(max).exp().sum(new int[] { 1 }).toFloatArray();
                if (!listed) {
                    // The blocked rows were masked in place: their share of the normaliser comes back from the
                    // scores read out before.
                    addBack(sumExp, blockedScores, blocked, rows, maxOut);
                }
            }
            return assemble(batch, k, bestRows, bestScores, named, request, maxOut, sumExp);
        }
    }

    private static long[] untrained(int[] untrained, int batch, long rows) {
        long[] out = new long[batch * (untrained.length + 1)];
        int n = 0;
        for (int b = 0; b < batch; b++) {
            out[n++] = b * rows; // padding
            for (int r : untrained) {
                if (r > 0 && r < rows) {
                    out[n++] = b * rows + r;
                }
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static void addBack(float[] sumExp, float[] scores, long[] at, long rows, float[] max) {
        for (int i = 0; i < at.length; i++) {
            if (scores[i] != Float.NEGATIVE_INFINITY) {
                int b = (int) (at[i] / rows);
                sumExp[b] += (float) Math.exp((double) scores[i] - max[b]);
            }
        }
    }

    private static long[] blocked(CandidateRequest request, long rows) {
        return flat(request.masks().stream().map(CandidateRequest.RowMask::blocked).toList(), rows);
    }

    /**
     * Each history's rows (null: none) as positions in the flat (batch, rows) scores; padding and rows past
     * the model's left out.
     */
    private static long[] flat(List<int[]> perHistory, long rows) {
        long[] flat = new long[perHistory.stream().mapToInt(r -> r == null ? 0 : r.length).sum()];
        int n = 0;
        for (int b = 0; b < perHistory.size(); b++) {
            int[] mine = perHistory.get(b);
            for (int r : mine == null ? new int[0] : mine) {
                if (r > 0 && r < rows) {
                    flat[n++] = b * rows + r;
                }
            }
        }
        return java.util.Arrays.copyOf(flat, n);
    }

    /** A copy in which histories with an allow-list keep only its rows (the rest minus infinity). */
    private static NDArray allowedOnly(NDArray flat, CandidateRequest request, long rows, NDManager step) {
        List<CandidateRequest.RowMask> masks = request.masks();
        int batch = masks.size();
        float[] open = new float[batch];
        for (int b = 0; b < batch; b++) {
            open[b] = masks.get(b).only() == null ? 1 : 0;
        }
        long[] listed = flat(masks.stream().map(CandidateRequest.RowMask::only).toList(), rows);
        NDArray keep = step.zeros(new Shape(batch * rows));
        if (listed.length > 0) {
            keep = keep.put(step.create(listed), step.ones(new Shape(listed.length)));
        }
        NDArray kept = keep.reshape(batch, rows).add(step.create(open, new Shape(batch, 1))).gt(0).reshape(-1);
        return ai.djl.ndarray.NDArrays.where(kept, flat, step.full(new Shape(1), Float.NEGATIVE_INFINITY));
    }

    private static long[] namedRows(CandidateRequest request, long rows) {
        long[] flat = new long[request.named().stream().mapToInt(a -> a.length).sum()];
        int n = 0;
        for (int b = 0; b < request.named().size(); b++) {
            for (int r : request.named().get(b)) {
                // Rows past the model's (items it has no row for yet) read padding, scored minus infinity.
                flat[n++] = b * rows + (r > 0 && r < rows ? r : 0);
            }
        }
        return flat;
    }

    private static float[] take(NDArray flat, long[] at, NDManager step) {
        return at.length == 0 ? new float[0]
                : flat.get(new ai.djl.ndarray.index.NDIndex("{}", step.create(at))).toFloatArray();
    }

    /** Sets the given flat positions to minus infinity, in place. */
    private static void minusInfinity(NDArray flat, long[] at, NDManager step) {
        if (at.length > 0) {
            flat.set(new ai.djl.ndarray.index.NDIndex("{}", step.create(at)), Float.NEGATIVE_INFINITY);
        }
    }

    private static Candidates assemble(int batch, int k, long[] bestRows, float[] bestScores, float[] named,
            CandidateRequest request, float[] max, float[] sumExp) {
        int[][] rows = new int[batch][];
        float[][] scores = new float[batch][];
        float[][] namedOut = new float[batch][];
        int at = 0;
        for (int b = 0; b < batch; b++) {
            int n = 0;
            while (n < k && bestScores[b * k + n] != Float.NEGATIVE_INFINITY) {
                n++; // fewer allowed rows than k: the rest are masked
            }
            rows[b] = new int[n];
            scores[b] = new float[n];
            for (int i = 0; i < n; i++) {
                rows[b][i] = (int) bestRows[b * k + i];
                scores[b][i] = bestScores[b * k + i];
            }
            int wanted = request.named().get(b).length;
            namedOut[b] = java.util.Arrays.copyOfRange(named, at, at + wanted);
            at += wanted;
        }
        return new Candidates(rows, scores, namedOut, max, sumExp);
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
