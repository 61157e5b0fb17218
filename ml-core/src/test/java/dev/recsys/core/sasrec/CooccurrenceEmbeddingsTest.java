package dev.recsys.core.sasrec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class CooccurrenceEmbeddingsTest {

    @Test
    void ppmiIsExactOnAHandComputedCase() {
        // One sequence 1 2 3, window 1: pairs (1,2) and (2,3), each counted both ways.
        List<Map<Integer, Double>> m = CooccurrenceEmbeddings.ppmi(List.of(new int[] { 1, 2, 3 }), 4, 1);
        // Marginals: c(1) = 1, c(2) = 2, c(3) = 1; total 4. PMI(1,2) = log(1 * 4 / (1 * 2)) = log 2.
        assertEquals(Math.log(2), m.get(1).get(2), 1e-12);
        assertEquals(Math.log(2), m.get(2).get(3), 1e-12);
        assertEquals(null, m.get(1).get(3), "outside the window");
        assertTrue(m.get(0).isEmpty(), "padding never counted");
    }

    @Test
    void itemsRatedTogetherEndUpCloserThanItemsNeverRatedTogether() {
        // Two communities of ten items each; users rate within one community only.
        Random random = new Random(5);
        List<int[]> sequences = new ArrayList<>();
        for (int u = 0; u < 200; u++) {
            int base = u % 2 == 0 ? 1 : 11;
            int[] s = new int[8];
            for (int i = 0; i < s.length; i++) {
                s[i] = base + random.nextInt(10);
            }
            sequences.add(s);
        }
        int rows = 21;
        int dim = 4;
        float[] e = CooccurrenceEmbeddings.compute(sequences, rows, dim, 3, 1);
        double within = 0;
        double across = 0;
        for (int a = 1; a <= 10; a++) {
            for (int b = 1; b <= 10; b++) {
                if (a != b) {
                    within += cosine(e, a, b, dim);
                }
                across += cosine(e, a, b + 10, dim);
            }
        }
        assertTrue(within / 90 > across / 100 + 0.5, "within " + within / 90 + ", across " + across / 100);
        double norms = 0;
        for (int r = 1; r < rows; r++) {
            norms += Math.sqrt(dot(e, r, r, dim));
        }
        assertEquals(1.0, norms / (rows - 1), 1e-4, "scaled to SASRec's initial row norm");
        assertEquals(0.0, dot(e, 0, 0, dim), 0.0, "padding row zero");
    }

    private static double cosine(float[] e, int a, int b, int dim) {
        return dot(e, a, b, dim) / Math.sqrt(dot(e, a, a, dim) * dot(e, b, b, dim));
    }

    private static double dot(float[] e, int a, int b, int dim) {
        double s = 0;
        for (int c = 0; c < dim; c++) {
            s += e[a * dim + c] * e[b * dim + c];
        }
        return s;
    }
}
