package dev.recsys.core.sasrec;

/**
 * The engine's answer to a {@link CandidateRequest}, per history: the selected rows best first with their
 * scores (fewer than k when fewer rows are allowed), the named rows' scores, and, when asked, the softmax
 * normaliser over the trained rows (the largest trained score and the sum of exp(score - largest)).
 */
public record Candidates(int[][] rows, float[][] scores, float[][] named, float[] max, float[] sumExp) {

    /**
     * The same selection from every score on the host: for backends that cannot mask and select where the
     * model lives, and the reference the engine's selection is tested against.
     */
    public static Candidates fromScores(float[][] all, CandidateRequest request) {
        int batch = all.length;
        int[][] rows = new int[batch][];
        float[][] scores = new float[batch][];
        float[][] named = new float[batch][];
        float[] max = new float[batch];
        float[] sumExp = new float[batch];
        boolean[] trained = new boolean[all.length == 0 ? 0 : all[0].length];
        java.util.Arrays.fill(trained, true);
        if (trained.length > 0) {
            trained[0] = false;
        }
        for (int r : request.untrained()) {
            if (r >= 0 && r < trained.length) {
                trained[r] = false;
            }
        }
        for (int b = 0; b < batch; b++) {
            float[] s = all[b];
            boolean[] allowed = allowed(request.masks().get(b), s.length);
            for (int r = 0; r < s.length; r++) {
                allowed[r] &= trained[r];
            }
            if (request.normalise()) {
                double m = Double.NEGATIVE_INFINITY;
                for (int r = 0; r < s.length; r++) {
                    if (trained[r]) {
                        m = Math.max(m, s[r]);
                    }
                }
                double sum = 0;
                for (int r = 0; r < s.length; r++) {
                    if (trained[r]) {
                        sum += Math.exp(s[r] - m);
                    }
                }
                max[b] = (float) m;
                sumExp[b] = (float) sum;
            }
            int[] best = best(s, allowed, request.k());
            rows[b] = best;
            scores[b] = new float[best.length];
            for (int i = 0; i < best.length; i++) {
                scores[b][i] = s[best[i]];
            }
            int[] wanted = request.named().get(b);
            named[b] = new float[wanted.length];
            for (int i = 0; i < wanted.length; i++) {
                int r = wanted[i];
                named[b][i] = r > 0 && r < s.length && trained[r] ? s[r] : Float.NEGATIVE_INFINITY;
            }
        }
        return new Candidates(rows, scores, named, max, sumExp);
    }

    private static boolean[] allowed(CandidateRequest.RowMask mask, int rows) {
        boolean[] allowed = new boolean[rows];
        if (mask.only() == null) {
            java.util.Arrays.fill(allowed, true);
        } else {
            for (int r : mask.only()) {
                if (r >= 0 && r < rows) {
                    allowed[r] = true;
                }
            }
        }
        for (int r : mask.blocked()) {
            if (r >= 0 && r < rows) {
                allowed[r] = false;
            }
        }
        allowed[0] = false;
        return allowed;
    }

    /**
     * The k highest allowed rows, best first; on equal scores the lower row first. A selection, not a sort: k is
     * at most 100, the catalogue up to millions.
     */
    static int[] best(float[] scores, boolean[] allowed, int k) {
        int[] best = new int[k];
        int n = 0;
        for (int i = 1; i < allowed.length; i++) {
            if (!allowed[i] || (n == k && scores[i] <= scores[best[k - 1]])) {
                continue;
            }
            int j = n < k ? n++ : k - 1;
            best[j] = i;
            for (; j > 0 && scores[best[j]] > scores[best[j - 1]]; j--) {
                int t = best[j];
                best[j] = best[j - 1];
                best[j - 1] = t;
            }
        }
        return java.util.Arrays.copyOf(best, n);
    }
}
