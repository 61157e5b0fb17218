package dev.recsys.core.sasrec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class SasRecTrainerTest {

    /** No dropout, so the training forward pass equals {@link SasRecModelTest#hidden}. */
    static final SasRecConfig EXACT = new SasRecConfig(6, 8, 2, 1, 0f, 1e-3f, 4, 0, 3);

    @Test
    void futureTargetsLossIsEachPositionsMeanCrossEntropyOverTheItemsAfterIt() {
        int rows = 12;
        int[] sequence = { 4, 7, 2, 9 };
        int k = 2;
        try (SasRecModel model = SasRecModel.create(EXACT, rows)) {
            double expected = expectedLoss(model, sequence, k, rows);
            double loss = new SasRecTrainer(model, 0f, k).step(List.of(sequence));
            assertEquals(expected, loss, 1e-5);
        }
    }

    @Test
    void anOnlineStepWorksOutOnlyItsTargetsPositionsAndTrainsAsTheFullPassWould() {
        int rows = 12;
        int[] longer = { 4, 7, 2, 9, 1, 5, 3, 8 }; // past maxLength + 1: its newest 7 are read
        int[] shorter = { 3, 8, 6 };
        try (SasRecModel trimmed = SasRecModel.create(EXACT, rows); SasRecModel full = SasRecModel.create(EXACT, rows)) {
            // Two newest transitions each: the last block works out the last 2 of 6 positions.
            double a = new SasRecTrainer(trimmed).step(List.of(longer, shorter), new int[] { 2, 2 });
            // The same, plus a one-item sequence (nothing to predict) that asks for every position: a full pass.
            double b = new SasRecTrainer(full).step(List.of(longer, shorter, new int[] { 5 }),
                    new int[] { 2, 2, EXACT.maxLength() });
            assertEquals(b, a, 1e-5);
            assertArrayEquals(full.itemEmbeddings(), trimmed.itemEmbeddings(), 1e-5f);
            long[] probe = { 0, 4, 7, 2, 9, 1 };
            assertArrayEquals(SasRecModelTest.hidden(full, probe), SasRecModelTest.hidden(trimmed, probe), 1e-5f);
        }
    }

    @Test
    void oneFutureTargetIsTheNextItemLoss() {
        int rows = 12;
        int[] sequence = { 4, 7, 2, 9, 1 };
        try (SasRecModel model = SasRecModel.create(EXACT, rows)) {
            double expected = expectedLoss(model, sequence, 1, rows);
            assertEquals(expected, new SasRecTrainer(model).step(List.of(sequence)), 1e-5);
        }
    }

    @Test
    void sequenceWeightPowerMovesTheLossFromEveryTargetAlikeToEverySequenceAlike() {
        int rows = 12;
        int[] longer = { 4, 7, 2, 9, 1, 5 }; // 5 targets
        int[] shorter = { 3, 8, 6 }; // 2 targets
        double lossLonger;
        double lossShorter;
        try (SasRecModel model = SasRecModel.create(EXACT, rows)) {
            lossLonger = expectedLoss(model, longer, 1, rows);
            lossShorter = expectedLoss(model, shorter, 1, rows);
        }
        for (float power : new float[] { 0f, 0.5f, 1f }) {
            double wLonger = Math.pow(5, 1 - power);
            double wShorter = Math.pow(2, 1 - power);
            double expected = (wLonger * lossLonger + wShorter * lossShorter) / (wLonger + wShorter);
            try (SasRecModel model = SasRecModel.create(EXACT, rows)) {
                double loss = new SasRecTrainer(model, 0f, 1, power).step(List.of(longer, shorter));
                assertEquals(expected, loss, 1e-5, "power " + power);
            }
        }
        try (SasRecModel model = SasRecModel.create(EXACT, rows)) {
            assertThrows(IllegalArgumentException.class, () -> new SasRecTrainer(model, 0f, 1, 1.5f));
        }
    }

    @Test
    void futureTargetsNeedAFullSoftmax() {
        SasRecConfig sampled = new SasRecConfig(6, 8, 2, 1, 0f, 1e-3f, 4, 5, 3);
        try (SasRecModel model = SasRecModel.create(sampled, 12)) {
            assertThrows(IllegalArgumentException.class, () -> new SasRecTrainer(model, 0f, 3));
            assertThrows(IllegalArgumentException.class, () -> new SasRecTrainer(model, 0f, 0));
        }
    }

    /** The loss computed by hand from the encoder's hidden states and the item table. */
    private static double expectedLoss(SasRecModel model, int[] sequence, int k, int rows) {
        int length = EXACT.maxLength();
        int d = EXACT.dim();
        long[] input = new long[length];
        int inputs = sequence.length - 1;
        for (int i = 0; i < inputs; i++) {
            input[length - inputs + i] = sequence[i];
        }
        float[] hidden = SasRecModelTest.hidden(model, input);
        float[] table = model.itemEmbeddings();
        double sum = 0;
        for (int i = 0; i < inputs; i++) {
            int pos = length - inputs + i;
            double[] logits = new double[rows];
            double max = Double.NEGATIVE_INFINITY;
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < d; c++) {
                    logits[r] += hidden[pos * d + c] * table[r * d + c];
                }
                max = Math.max(max, logits[r]);
            }
            double z = 0;
            for (double l : logits) {
                z += Math.exp(l - max);
            }
            double logZ = max + Math.log(z);
            int targets = Math.min(k, sequence.length - 1 - i);
            double position = 0;
            for (int j = 1; j <= targets; j++) {
                position += logZ - logits[sequence[i + j]];
            }
            sum += position / targets;
        }
        return sum / inputs;
    }

    /** The online trainer and a re-fit pass step on two threads at once; DJL allows one gradient collector. */
    @Test
    void twoTrainersOnTwoThreadsTakeTurns() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<Integer>> done = new java.util.ArrayList<>();
            for (int t = 0; t < 2; t++) {
                done.add(pool.submit(() -> {
                    try (SasRecModel model = SasRecModel.create(EXACT, 10)) {
                        SasRecTrainer trainer = new SasRecTrainer(model);
                        int finite = 0;
                        for (int i = 0; i < 200; i++) {
                            finite += Double.isFinite(trainer.step(List.of(new int[] { 1, 2, 3, 4 }, new int[] { 5, 6, 7 })))
                                    ? 1 : 0;
                        }
                        return finite;
                    }
                }));
            }
            for (var f : done) {
                org.junit.jupiter.api.Assertions.assertEquals(200, f.get());
            }
        } finally {
            pool.shutdown();
        }
    }
}
