package dev.recsys.core.sasrec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.recsys.core.ItemVocabulary;

/**
 * Trains a first Transformer from the histories a worker holds, with the recipe measured best offline
 * ({@code bin/evaluate}, and the replay's warm start: one block, dropout 0.5, item rows started from co-occurrence, each user's newest
 * window). A slice of users is held out: their last item is the target of a validation NDCG@10 after every
 * epoch, and the weights of the best epoch are the result. Stops at {@code maxEpochs}, after
 * {@code patience} epochs without a better validation score, or when {@code maxDuration} is spent.
 */
public final class BootstrapTraining {

    /** Items a co-occurrence row links, as the worker's table does. */
    private static final int COOCCURRENCE_WINDOW = 5;
    private static final int K = 10;

    /**
     * @param validationShare the share of users (with 3 or more items) whose last item is held out; at least
     *                        one user, at most 2,000
     */
    public record Settings(int maxEpochs, int patience, Duration maxDuration, double validationShare) {
    }

    /** Told after every epoch. */
    public interface Progress {
        void epoch(int epoch, int maxEpochs, double loss, double validationNdcg10);
    }

    /** @param epochs epochs run; the weights are the best one's */
    public record Result(SasRecConfig config, SasRecModel.Weights weights, ItemVocabulary vocabulary, int epochs,
            int bestEpoch, double validationNdcg10, int users, int heldOut) {
    }

    private BootstrapTraining() {
    }

    /** The shape trained: the defaults with one block and dropout 0.5. */
    public static SasRecConfig config() {
        return SasRecConfig.defaults().withBlocks(1).withDropout(0.5f);
    }

    /** @param sequences each user's positive items, oldest first */
    public static Result train(Map<String, List<String>> sequences, Settings settings, Progress progress) {
        ItemVocabulary vocabulary = new ItemVocabulary();
        List<int[]> all = new ArrayList<>();
        for (List<String> items : sequences.values()) {
            all.add(items.stream().mapToInt(vocabulary::add).toArray());
        }
        List<int[]> train = new ArrayList<>();
        List<int[]> validation = new ArrayList<>();
        int eligible = (int) all.stream().filter(s -> s.length >= 3).count();
        int holdEvery = Math.max(1, (int) Math.round(1 / Math.max(1e-3, settings.validationShare())));
        int seen = 0;
        for (int[] s : all) {
            // Every n-th eligible user in a fixed order: the same slice for the same histories.
            if (s.length >= 3 && seen++ % holdEvery == 0 && validation.size() < 2_000) {
                validation.add(s);
                train.add(java.util.Arrays.copyOf(s, s.length - 1));
            } else {
                train.add(s);
            }
        }
        SasRecConfig config = config();
        List<int[]> windows = SasRecTrainer.newestWindows(train, config.maxLength());
        long deadline = System.nanoTime() + settings.maxDuration().toNanos();
        try (SasRecModel model = SasRecModel.create(config, vocabulary.rows())) {
            CooccurrenceEmbeddings.startItems(model, train, COOCCURRENCE_WINDOW);
            SasRecTrainer trainer = new SasRecTrainer(model);
            SasRecModel.Weights best = model.weights();
            double bestScore = validation.isEmpty() ? Double.NaN : ndcg(model, validation);
            int bestEpoch = 0;
            int epoch = 0;
            while (epoch < settings.maxEpochs() && System.nanoTime() < deadline
                    && epoch - bestEpoch <= settings.patience()) {
                epoch++;
                double loss = trainer.epoch(windows, SasRecTrainer.ProgressListener.NONE);
                double score = validation.isEmpty() ? Double.NaN : ndcg(model, validation);
                progress.epoch(epoch, settings.maxEpochs(), loss, score);
                if (validation.isEmpty() || score > bestScore) {
                    best = model.weights();
                    bestScore = score;
                    bestEpoch = epoch;
                }
            }
            return new Result(config, best, vocabulary, epoch, bestEpoch, bestScore, all.size(), validation.size());
        }
    }

    /** NDCG@10 of each held-out last item, ranked among the items the user had not seen before it. */
    public static double ndcg(SasRecModel model, List<int[]> heldOut) {
        double sum = 0;
        int batch = 256;
        for (int from = 0; from < heldOut.size(); from += batch) {
            List<int[]> part = heldOut.subList(from, Math.min(heldOut.size(), from + batch));
            List<int[]> inputs = new ArrayList<>(part.size());
            for (int[] s : part) {
                inputs.add(java.util.Arrays.copyOf(s, s.length - 1));
            }
            float[][] scores = SasRecScoring.scores(model, inputs);
            for (int b = 0; b < part.size(); b++) {
                sum += ndcgOfTarget(scores[b], inputs.get(b), part.get(b)[part.get(b).length - 1]);
            }
        }
        return heldOut.isEmpty() ? Double.NaN : sum / heldOut.size();
    }

    private static double ndcgOfTarget(float[] scores, int[] seen, int target) {
        java.util.Set<Integer> excluded = new java.util.HashSet<>();
        for (int r : seen) {
            excluded.add(r);
        }
        excluded.remove(target);
        float t = scores[target];
        int above = 0;
        for (int r = 1; r < scores.length; r++) {
            if (r != target && !excluded.contains(r) && scores[r] > t) {
                if (++above >= K) {
                    return 0;
                }
            }
        }
        return 1 / (Math.log(above + 2) / Math.log(2));
    }
}
