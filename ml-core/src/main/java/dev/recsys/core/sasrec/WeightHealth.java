package dev.recsys.core.sasrec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What online training checks of its weights: that they are finite, and which grown item rows have matured. */
final class WeightHealth {

    private WeightHealth() {
    }

    /** The parameters holding a NaN or an infinity. */
    static List<String> nonFinite(SasRecModel.Weights weights) {
        List<String> out = new ArrayList<>();
        for (var e : weights.values().entrySet()) {
            for (float v : e.getValue()) {
                if (!Float.isFinite(v)) {
                    out.add(e.getKey());
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Rows trained offline ({@code < offlineRows}), and grown rows whose norm has reached {@code matureNorm}:
     * those stand for their items in inputs (see ModelSnapshot#mature).
     */
    static boolean[] matureRows(SasRecModel.Weights weights, int dim, int offlineRows, double matureNorm) {
        float[] items = weights.values().get("items");
        boolean[] mature = new boolean[items.length / dim];
        for (int r = 1; r < mature.length; r++) {
            mature[r] = r < offlineRows || norm(items, r, dim) >= matureNorm;
        }
        return mature;
    }

    /** The median norm of the item rows (padding excluded); 0 for an empty table. */
    static double medianItemNorm(SasRecModel.Weights weights, int dim) {
        float[] items = weights.values().get("items");
        double[] norms = new double[items.length / dim - 1];
        for (int r = 1; r <= norms.length; r++) {
            norms[r - 1] = norm(items, r, dim);
        }
        Arrays.sort(norms);
        return norms.length == 0 ? 0 : norms[norms.length / 2];
    }

    private static double norm(float[] table, int row, int d) {
        double sum = 0;
        for (int i = row * d; i < (row + 1) * d; i++) {
            sum += table[i] * table[i];
        }
        return Math.sqrt(sum);
    }
}
