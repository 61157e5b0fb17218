package dev.recsys.core.sasrec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Item vectors from co-occurrence, to start SASRec's item table from: the positive pointwise mutual
 * information of items rated near each other, projected onto its top {@code dim} directions (randomised
 * subspace iteration). On a dataset as small as ml-latest-small most items are seen a handful of times;
 * from random vectors, training places them by little more than their being negatives, while
 * co-occurrence places them near the films they are rated with (what makes item-kNN strong there).
 */
public final class CooccurrenceEmbeddings {

    private static final int POWER_ITERATIONS = 4;

    private CooccurrenceEmbeddings() {
    }

    /**
     * @param sequences item rows in time order (row 0 is padding and never counted)
     * @param window    items either side of an item that count as co-occurring with it
     * @return {@code rows x dim} row-major; rows of items with no co-occurrence are zero. Scaled so that
     *         the mean norm of the non-zero rows is one, the norm of SASRec's random initial rows.
     */
    static float[] compute(List<int[]> sequences, int rows, int dim, int window, long seed) {
        List<Map<Integer, Double>> ppmi = ppmi(sequences, rows, window);
        Random random = new Random(seed);
        double[][] q = new double[dim][rows]; // column-major: q[c] is one column
        for (double[] column : q) {
            for (int r = 1; r < rows; r++) {
                column[r] = random.nextGaussian();
            }
        }
        orthonormalise(q);
        for (int it = 0; it < POWER_ITERATIONS; it++) {
            q = multiply(ppmi, q);
            orthonormalise(q);
        }
        double[][] projected = multiply(ppmi, q); // each item's PPMI row in the top subspace
        float[] out = new float[rows * dim];
        double normSum = 0;
        int nonZero = 0;
        for (int r = 0; r < rows; r++) {
            double norm = 0;
            for (int c = 0; c < dim; c++) {
                norm += projected[c][r] * projected[c][r];
            }
            if (norm > 0) {
                normSum += Math.sqrt(norm);
                nonZero++;
            }
        }
        double scale = nonZero == 0 ? 0 : nonZero / normSum;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < dim; c++) {
                out[r * dim + c] = (float) (projected[c][r] * scale);
            }
        }
        return out;
    }

    /** Sparse symmetric PPMI rows: log(c(i,j) * total / (c(i) * c(j))) where positive. */
    static List<Map<Integer, Double>> ppmi(List<int[]> sequences, int rows, int window) {
        List<Map<Integer, Double>> counts = new java.util.ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            counts.add(new HashMap<>());
        }
        for (int[] s : sequences) {
            for (int i = 0; i < s.length; i++) {
                for (int j = i + 1; j <= Math.min(s.length - 1, i + window); j++) {
                    if (s[i] != s[j] && s[i] > 0 && s[j] > 0) {
                        counts.get(s[i]).merge(s[j], 1.0, Double::sum);
                        counts.get(s[j]).merge(s[i], 1.0, Double::sum);
                    }
                }
            }
        }
        double[] marginal = new double[rows];
        double total = 0;
        for (int r = 0; r < rows; r++) {
            for (double c : counts.get(r).values()) {
                marginal[r] += c;
            }
            total += marginal[r];
        }
        for (int r = 0; r < rows; r++) {
            Map<Integer, Double> row = counts.get(r);
            double mr = marginal[r];
            double t = total;
            row.replaceAll((j, c) -> Math.max(0, Math.log(c * t / (mr * marginal[j]))));
            row.values().removeIf(v -> v == 0);
        }
        return counts;
    }

    private static double[][] multiply(List<Map<Integer, Double>> m, double[][] q) {
        int rows = m.size();
        double[][] out = new double[q.length][rows];
        for (int r = 0; r < rows; r++) {
            for (var e : m.get(r).entrySet()) {
                int j = e.getKey();
                double v = e.getValue();
                for (int c = 0; c < q.length; c++) {
                    out[c][r] += v * q[c][j];
                }
            }
        }
        return out;
    }

    /** Modified Gram-Schmidt over the columns; a column that vanishes stays zero. */
    static void orthonormalise(double[][] columns) {
        for (int c = 0; c < columns.length; c++) {
            double[] v = columns[c];
            for (int p = 0; p < c; p++) {
                double dot = dot(v, columns[p]);
                double[] u = columns[p];
                for (int i = 0; i < v.length; i++) {
                    v[i] -= dot * u[i];
                }
            }
            double norm = Math.sqrt(dot(v, v));
            for (int i = 0; i < v.length; i++) {
                v[i] = norm > 1e-12 ? v[i] / norm : 0;
            }
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Replaces a model's random item rows by co-occurrence vectors where an item has any (padding stays zero). */
    public static void startItems(SasRecModel model, List<int[]> train, int window) {
        int dim = model.config().dim();
        float[] start = compute(train, model.rows(), dim, window, model.config().seed());
        SasRecModel.Weights weights = model.weights();
        float[] items = weights.values().get("items");
        for (int r = 1; r < model.rows(); r++) {
            boolean any = false;
            for (int c = 0; c < dim; c++) {
                any |= start[r * dim + c] != 0;
            }
            if (any) {
                System.arraycopy(start, r * dim, items, r * dim, dim);
            }
        }
        model.load(weights);
    }
}
