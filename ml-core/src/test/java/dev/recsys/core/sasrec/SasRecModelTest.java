package dev.recsys.core.sasrec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

class SasRecModelTest {

    static final SasRecConfig SMALL = new SasRecConfig(8, 16, 2, 2, 0.1f, 5e-3f, 32, 0, 7);

    static float[] hidden(SasRecModel model, long[] sequence) {
        try (NDManager step = model.manager().newSubManager()) {
            NDArray in = step.create(sequence, new Shape(1, sequence.length));
            return model.encode(in, false, step).toFloatArray();
        }
    }

    @Test
    void scoringWorksOutTheLastPositionAsTheFullPassDoes() {
        try (SasRecModel model = SasRecModel.create(SMALL, 30); NDManager step = model.manager().newSubManager()) {
            NDArray in = step.create(new long[] { 0, 0, 3, 5, 7, 9, 11, 13, 0, 4, 4, 4, 2, 1, 9, 8 }, new Shape(2, 8));
            // Every position worked out, then the last one's scores against every item row.
            NDArray items = step.create(model.itemEmbeddings(), new Shape(30, SMALL.dim()));
            float[] full = model.encode(in, false, step).get(":, -1, :").matMul(items.transpose()).toFloatArray();
            float[] last = model.scoreLast(in, step).toFloatArray();
            assertEquals(2 * 30, last.length);
            for (int i = 0; i < last.length; i++) {
                assertEquals(full[i], last[i], 1e-4, "score " + i);
            }
        }
    }

    @Test
    void laterItemsDoNotChangeEarlierPositions() {
        try (SasRecModel model = SasRecModel.create(SMALL, 30)) {
            long[] a = { 0, 0, 3, 5, 7, 9, 11, 13 };
            long[] b = { 0, 0, 3, 5, 7, 21, 22, 23 };
            float[] ha = hidden(model, a);
            float[] hb = hidden(model, b);
            int d = SMALL.dim();
            // Positions 0..4 (padding and items before the change) are identical; position 5 differs.
            for (int i = 0; i < 5 * d; i++) {
                assertEquals(ha[i], hb[i], 1e-6, "position " + i / d);
            }
            boolean differs = false;
            for (int i = 5 * d; i < 6 * d; i++) {
                differs |= Math.abs(ha[i] - hb[i]) > 1e-4;
            }
            assertTrue(differs, "the changed position must see its own item");
        }
    }

    @Test
    void learnsADeterministicNextItemRule() {
        int items = 40;
        Random random = new Random(1);
        int[] next = new int[items + 1];
        List<Integer> perm = new ArrayList<>();
        for (int i = 1; i <= items; i++) {
            perm.add(i);
        }
        java.util.Collections.shuffle(perm, random);
        for (int i = 1; i <= items; i++) {
            next[i] = perm.get(i - 1);
        }
        List<int[]> train = new ArrayList<>();
        for (int u = 0; u < 400; u++) {
            int[] s = new int[6 + random.nextInt(8)];
            s[0] = 1 + random.nextInt(items);
            for (int i = 1; i < s.length; i++) {
                s[i] = next[s[i - 1]];
            }
            train.add(s);
        }
        try (SasRecModel model = SasRecModel.create(SMALL, items + 1)) {
            SasRecTrainer trainer = new SasRecTrainer(model);
            double hr = 0;
            for (int epoch = 0; epoch < 60 && hr < 0.95; epoch++) {
                trainer.epoch(train, SasRecTrainer.ProgressListener.NONE);
                hr = hitRate(model, next, items, random);
            }
            assertTrue(hr >= 0.95, "HR@10 " + hr);
        }
    }

    static double hitRate(SasRecModel model, int[] next, int items, Random random) {
        List<int[]> histories = new ArrayList<>();
        List<Integer> targets = new ArrayList<>();
        for (int u = 0; u < 200; u++) {
            int[] h = new int[3 + random.nextInt(5)];
            h[0] = 1 + random.nextInt(items);
            for (int i = 1; i < h.length; i++) {
                h[i] = next[h[i - 1]];
            }
            histories.add(h);
            targets.add(next[h[h.length - 1]]);
        }
        float[][] scores = SasRecInference.scores(model, histories);
        int hits = 0;
        for (int u = 0; u < histories.size(); u++) {
            float t = scores[u][targets.get(u)];
            int higher = 0;
            for (int i = 1; i <= items; i++) {
                if (i != targets.get(u) && scores[u][i] > t) {
                    higher++;
                }
            }
            hits += higher < 10 ? 1 : 0;
        }
        return hits / (double) histories.size();
    }

    @Test
    void growingTheItemTableKeepsOldScores() {
        try (SasRecModel model = SasRecModel.create(SMALL, 20)) {
            SasRecTrainer trainer = new SasRecTrainer(model);
            trainer.step(List.of(new int[] { 1, 2, 3, 4 }, new int[] { 5, 6, 7 }));
            float[] before = SasRecInference.scores(model, List.of(new int[] { 1, 2, 3 }))[0];
            trainer.growItems(25);
            assertEquals(25, model.rows());
            float[] after = SasRecInference.scores(model, List.of(new int[] { 1, 2, 3 }))[0];
            assertArrayEquals(before, java.util.Arrays.copyOf(after, 20), 1e-6f);
            // Untrained rows score 0: mid-table, never a stranger's top pick by chance.
            assertArrayEquals(new float[5], java.util.Arrays.copyOfRange(after, 20, 25), 0f);
            // And training goes on with the grown table, new items included.
            trainer.step(List.of(new int[] { 1, 2, 24 }));
        }
    }

    @Test
    void sampledSoftmaxTrainsToo() {
        SasRecConfig sampled = new SasRecConfig(8, 16, 1, 1, 0f, 1e-2f, 32, 10, 3);
        try (SasRecModel model = SasRecModel.create(sampled, 30)) {
            SasRecTrainer trainer = new SasRecTrainer(model);
            List<int[]> data = List.of(new int[] { 1, 2, 3, 4, 5 }, new int[] { 1, 2, 3, 4, 5 });
            double first = trainer.step(data);
            double last = first;
            for (int i = 0; i < 50; i++) {
                last = trainer.step(data);
            }
            assertTrue(last < first / 2, "loss " + first + " -> " + last);
        }
    }

    @Test
    void loadedWeightsStayPutWhenTheJvmReusesFreedMemory() {
        try (SasRecModel model = SasRecModel.create(SMALL, 30)) {
            SasRecModel.Weights saved = model.weights();
            float[] expected = SasRecInference.scores(model, List.of(new int[] { 1, 2, 3 }))[0];
            new SasRecTrainer(model).step(List.of(new int[] { 1, 2, 3, 4, 5 }, new int[] { 6, 7, 8 }));
            model.load(saved);
            GradientIntegrityTest.churn();
            assertArrayEquals(expected, SasRecInference.scores(model, List.of(new int[] { 1, 2, 3 }))[0], 1e-6f);
        }
    }
}
