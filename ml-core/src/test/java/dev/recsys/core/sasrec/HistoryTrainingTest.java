package dev.recsys.core.sasrec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.recsys.core.ItemVocabulary;

class HistoryTrainingTest {

    /** Users walk a fixed cycle of items from random starting points: the next item follows from the last. */
    static Map<String, List<String>> cycles(int users, int items, int length, long seed) {
        Random random = new Random(seed);
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int u = 0; u < users; u++) {
            int start = random.nextInt(items);
            List<String> seq = new ArrayList<>();
            for (int i = 0; i < length; i++) {
                seq.add("i" + (start + i) % items);
            }
            out.put("u" + u, seq);
        }
        return out;
    }

    @Test
    void learnsWhatFollowsWhatAndKeepsTheBestEpoch() {
        List<double[]> epochs = new ArrayList<>();
        HistoryTraining.Result r = HistoryTraining.train(cycles(300, 40, 12, 7),
                new HistoryTraining.Settings(12, 3, Duration.ofMinutes(2), 0.1),
                (e, of, loss, ndcg) -> epochs.add(new double[] { e, loss, ndcg }));
        assertEquals(30, r.heldOut(), "every 10th user held out");
        assertEquals(41, r.vocabulary().rows(), "40 items and padding");
        assertTrue(r.epochs() >= 1 && r.epochs() <= 12);
        double best = epochs.stream().mapToDouble(e -> e[2]).max().orElseThrow();
        assertEquals(best, r.validationNdcg10(), 1e-12, "the result is the best epoch's");
        // Ten random guesses among 40 items would give an NDCG@10 near 0.1.
        assertTrue(r.validationNdcg10() > 0.5, "validation NDCG@10 " + r.validationNdcg10());
        assertTrue(epochs.get(epochs.size() - 1)[1] < epochs.get(0)[1], "the loss went down");
    }

    @Test
    void stopsWhenTheTimeIsSpent() {
        HistoryTraining.Result r = HistoryTraining.train(cycles(100, 40, 12, 3),
                new HistoryTraining.Settings(1_000, 1_000, Duration.ofMillis(1), 0.1), (e, of, loss, ndcg) -> { });
        assertTrue(r.epochs() <= 1, "epochs run after the time ran out: " + r.epochs());
    }

    @Test
    void thePaceIsAskedBeforeEveryBatchAndItsWaitsCountAgainstTheTime() {
        int[] asked = new int[1];
        HistoryTraining.Result r = HistoryTraining.train(cycles(300, 40, 12, 3),
                new HistoryTraining.Settings(2, 2, Duration.ofMinutes(2), 0.1, () -> asked[0]++),
                (e, of, loss, ndcg) -> { });
        int batches = (270 + HistoryTraining.config().batchSize() - 1) / HistoryTraining.config().batchSize();
        assertEquals(2, r.epochs());
        assertTrue(asked[0] >= 2 * batches, asked[0] + " asks for " + batches + " batches an epoch");

        HistoryTraining.Result slowed = HistoryTraining.train(cycles(300, 40, 12, 3),
                new HistoryTraining.Settings(1_000, 1_000, Duration.ofMillis(300), 0.1, () -> sleep(200)),
                (e, of, loss, ndcg) -> { });
        assertTrue(slowed.epochs() <= 1, "epochs run after the time ran out: " + slowed.epochs());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aRefitFromUndertrainedWeightsImprovesThemAndGrowsTheItemTable() {
        Map<String, List<String>> sequences = cycles(300, 40, 12, 7);
        // Untrained served weights for the 40 items, in the order the users met them.
        ItemVocabulary vocabulary = new ItemVocabulary();
        sequences.values().forEach(items -> items.forEach(vocabulary::add));
        SasRecModel.Weights untrained;
        try (SasRecModel model = SasRecModel.create(HistoryTraining.config(), vocabulary.rows())) {
            untrained = model.weights();
        }
        // Five more items join the cycle's users; the served weights have no rows for them.
        dev.recsys.core.neighbours.ItemNeighbours table = dev.recsys.core.neighbours.ItemTables.standard().cooccurrence();
        for (int n = 0; n < 5; n++) {
            vocabulary.add("new" + n);
            sequences.get("u" + n).add("new" + n);
        }
        HistoryTraining.Result refit = HistoryTraining.refit(sequences, HistoryTraining.config(), untrained, vocabulary,
                table, new HistoryTraining.Settings(6, 3, Duration.ofMinutes(2), 0.1), (e, of, loss, ndcg) -> { });
        assertTrue(refit.bestEpoch() > 0 && refit.validationNdcg10() > refit.startNdcg10(),
                "start " + refit.startNdcg10() + ", best " + refit.validationNdcg10());
        assertEquals(vocabulary.rows(), refit.weights().shapes().get("items")[0]);

        // A learning rate far too high for the data wrecks every epoch: nothing beats the start.
        HistoryTraining.Result wrecked = HistoryTraining.refit(sequences, HistoryTraining.config().withLearningRate(50f),
                refit.weights(), vocabulary, table, new HistoryTraining.Settings(3, 3, Duration.ofMinutes(1), 0.1),
                (e, of, loss, ndcg) -> { });
        assertEquals(0, wrecked.bestEpoch(), "best " + wrecked.epochsNdcg10() + " from " + wrecked.startNdcg10());
        assertTrue(wrecked.epochsNdcg10() < wrecked.startNdcg10());
        assertEquals(wrecked.startNdcg10(), wrecked.validationNdcg10(), "the start's weights and score are kept");
    }
}
