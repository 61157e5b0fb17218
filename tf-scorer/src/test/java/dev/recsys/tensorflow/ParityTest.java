package dev.recsys.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.recsys.core.sasrec.SasRecConfig;
import dev.recsys.core.sasrec.SasRecModel;
import dev.recsys.core.sasrec.SasRecInference;

/**
 * TensorFlow and PyTorch give the same scores from the same weights: random weights and random histories
 * (several seeds, batch sizes 1 and 64, histories shorter and longer than the model reads, so padding is
 * present), at most 1e-4 apart and the same top 10.
 */
class ParityTest {

    @BeforeAll
    static void load() {
        TensorFlowEngine.load(Path.of("target/javacpp-cache"));
    }

    @Test
    void sameScoresAndTopTenAsPyTorch() {
        for (long seed : new long[] { 1, 2, 3 }) {
            // Two heads and two blocks, so every reshape and the causal mask across heads are exercised.
            SasRecConfig config = new SasRecConfig(20, 16, 2, 2, 0f, 1e-3f, 8, 0, seed);
            int rows = 301;
            SasRecModel.Weights weights = randomized(SasRecModel.initialWeights(config, rows), seed);
            try (SasRecModel torch = SasRecModel.of(config, weights); TfSasRecGraph tf = new TfSasRecGraph(config, weights)) {
                for (int batch : new int[] { 1, 64 }) {
                    List<int[]> histories = histories(new Random(seed * 31 + batch), batch, rows, config.maxLength());
                    float[][] expected = SasRecInference.scores(torch, histories);
                    float[][] actual = tf.scores(histories);
                    for (int b = 0; b < batch; b++) {
                        float[] e = expected[b];
                        double spread = 0;
                        for (int r = 2; r < rows; r++) {
                            spread = Math.max(spread, Math.abs(e[r] - e[1]));
                        }
                        assertTrue(spread > 0.01, "scores that differ between items, not a constant: " + spread);
                        double worst = 0;
                        for (int r = 1; r < rows; r++) {
                            worst = Math.max(worst, Math.abs(expected[b][r] - actual[b][r]));
                        }
                        assertTrue(worst <= 1e-4, "seed " + seed + " batch " + batch + " row " + b + ": max |diff| " + worst);
                        assertEquals(Arrays.toString(top10(expected[b])), Arrays.toString(top10(actual[b])),
                                "seed " + seed + " batch " + batch + " row " + b);
                    }
                }
            }
        }
    }

    /** Initial weights moved off their tidy values (unit gains, zero biases) so every parameter matters. */
    static SasRecModel.Weights randomized(SasRecModel.Weights w, long seed) {
        Random random = new Random(seed);
        w.values().forEach((name, v) -> {
            for (int i = 0; i < v.length; i++) {
                v[i] += (float) (random.nextGaussian() * 0.1);
            }
        });
        Arrays.fill(w.values().get("items"), 0, (int) w.shapes().get("items")[1], 0f); // padding row stays zero
        return w;
    }

    static List<int[]> histories(Random random, int batch, int rows, int maxLength) {
        List<int[]> out = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            int[] h = new int[1 + random.nextInt(maxLength + 10)];
            for (int i = 0; i < h.length; i++) {
                h[i] = 1 + random.nextInt(rows - 1);
            }
            out.add(h);
        }
        return out;
    }

    static int[] top10(float[] scores) {
        return java.util.stream.IntStream.range(1, scores.length).boxed()
                .sorted((a, b) -> Float.compare(scores[b], scores[a])).limit(10).mapToInt(Integer::intValue).toArray();
    }
}
