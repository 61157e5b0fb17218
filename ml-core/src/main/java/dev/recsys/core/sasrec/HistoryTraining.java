package dev.recsys.core.sasrec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.neighbours.ItemNeighbours;

/**
 * A full training pass over the histories a worker holds, with the offline recipe ({@code bin/evaluate}, and
 * the replay's warm start: {@link #config()}, every window of each history):
 * from scratch with item rows started from co-occurrence (the worker's first model), or warm-started from the
 * served weights with the item table grown to the vocabulary (a periodic re-fit). Users with 3 or more items
 * hold out their last item (up to {@code validationShare} of them, at most 2,000); the held-out NDCG@10 is
 * measured before the first epoch and after each, and the best epoch's weights are the result (the latest
 * of equals; the start's when no epoch reaches its score). Stops at
 * {@code maxEpochs}, after {@code patience} epochs without a better score, or when {@code maxDuration} is spent.
 */
public final class HistoryTraining {

    /** Items a co-occurrence row links, as the worker's table does. */
    private static final int COOCCURRENCE_WINDOW = 5;
    private static final int K = 10;
    private static final int MAX_HELD_OUT = 2_000;

    /** @param pace asked before every batch; the time it waits counts against {@code maxDuration} */
    public record Settings(int maxEpochs, int patience, Duration maxDuration, double validationShare,
            TrainingPace pace) {

        public Settings(int maxEpochs, int patience, Duration maxDuration, double validationShare) {
            this(maxEpochs, patience, maxDuration, validationShare, TrainingPace.NONE);
        }
    }

    /** Told after every epoch. */
    public interface Progress {
        void epoch(int epoch, int maxEpochs, double loss, double validationNdcg10);
    }

    /**
     * @param startNdcg10 the held-out NDCG@10 of the weights the pass started from (before any epoch)
     * @param bestEpoch   0 when every epoch scored below the start; the weights are then the start's
     * @param epochsNdcg10 the best score any epoch reached (NaN before the first)
     */
    public record Result(SasRecConfig config, SasRecModel.Weights weights, ItemVocabulary vocabulary, int epochs,
            int bestEpoch, double startNdcg10, double validationNdcg10, double epochsNdcg10, int users,
            int heldOut) {
    }

    private HistoryTraining() {
    }

    /** The shape trained from scratch: the defaults (two blocks, dropout 0.2). */
    public static SasRecConfig config() {
        return SasRecConfig.defaults();
    }

    /** @param sequences each user's positive items, oldest first */
    public static Result train(Map<String, List<String>> sequences, Settings settings, Progress progress) {
        ItemVocabulary vocabulary = new ItemVocabulary();
        Split split = Split.of(sequences, vocabulary::add, settings.validationShare());
        SasRecConfig config = config();
        try (SasRecModel model = SasRecModel.create(config, vocabulary.rows())) {
            CooccurrenceEmbeddings.startItems(model, split.train, COOCCURRENCE_WINDOW);
            return epochs(model, config, vocabulary, split, settings, progress);
        }
    }

    /**
     * @param start      the served weights; their item rows stand for {@code vocabulary}'s first rows
     * @param vocabulary the worker's items as of the copy of {@code sequences}; items it lacks are left out
     *                   (their row numbers would clash with the rows the worker gives them meanwhile)
     * @param neighbours the co-occurrence table, to start each new item's row from its trained neighbours'
     */
    public static Result refit(Map<String, List<String>> sequences, SasRecConfig config, SasRecModel.Weights start,
            ItemVocabulary vocabulary, ItemNeighbours neighbours, Settings settings, Progress progress) {
        Split split = Split.of(sequences, vocabulary::row, settings.validationShare());
        int trained = (int) start.shapes().get("items")[0];
        try (SasRecModel model = SasRecModel.of(config, start)) {
            SasRecTrainer grower = new SasRecTrainer(model);
            grower.growItems(vocabulary.rows());
            SasRecModel.Weights grown = model.weights();
            NewItemRows.fromNeighbours(grown.values().get("items"), config.dim(), trained, vocabulary.rows(),
                    vocabulary, neighbours);
            model.load(grown);
            return epochs(model, config, vocabulary, split, settings, progress);
        }
    }

    private static Result epochs(SasRecModel model, SasRecConfig config, ItemVocabulary vocabulary, Split split,
            Settings settings, Progress progress) {
        // Every window, as bin/evaluate and the replay's warm start train; a worker keeps at most
        // worker.history.max-length items per user, so at the default that is one window each.
        List<int[]> windows = TrainingWindows.ALL.of(split.train, config.maxLength());
        long deadline = System.nanoTime() + settings.maxDuration().toNanos();
        SasRecTrainer trainer = new SasRecTrainer(model);
        SasRecModel.Weights best = model.weights();
        double startScore = split.heldOut.isEmpty() ? Double.NaN : ndcg(model, split.heldOut);
        double bestScore = startScore;
        int bestEpoch = 0;
        double epochsBest = Double.NaN;
        int epoch = 0;
        while (epoch < settings.maxEpochs() && System.nanoTime() < deadline && epoch - bestEpoch <= settings.patience()) {
            epoch++;
            settings.pace().beforeBatch();
            double loss = trainer.epoch(windows, (done, total) -> settings.pace().beforeBatch());
            double score = split.heldOut.isEmpty() ? Double.NaN : ndcg(model, split.heldOut);
            progress.epoch(epoch, settings.maxEpochs(), loss, score);
            epochsBest = Double.isNaN(epochsBest) || score > epochsBest ? score : epochsBest;
            // Ties go to the later epoch (trained longer on the same data; a re-fit "not worse" than the start
            // is taken). Without a held-out slice the last epoch is taken; a non-finite score never wins.
            if (split.heldOut.isEmpty() || score >= bestScore || (Double.isNaN(bestScore) && !Double.isNaN(score))) {
                best = model.weights();
                bestScore = score;
                bestEpoch = epoch;
            }
        }
        return new Result(config, best, vocabulary, epoch, bestEpoch, startScore, bestScore, epochsBest, split.users,
                split.heldOut.size());
    }

    /** NDCG@10 of each held-out last item, ranked among the items the user had not seen before it. */
    static double ndcg(SasRecModel model, List<int[]> heldOut) {
        double sum = 0;
        int batch = 256;
        for (int from = 0; from < heldOut.size(); from += batch) {
            List<int[]> part = heldOut.subList(from, Math.min(heldOut.size(), from + batch));
            List<int[]> inputs = new ArrayList<>(part.size());
            for (int[] s : part) {
                inputs.add(java.util.Arrays.copyOf(s, s.length - 1));
            }
            float[][] scores = SasRecInference.scores(model, inputs);
            for (int b = 0; b < part.size(); b++) {
                sum += ndcgOfTarget(scores[b], inputs.get(b), part.get(b)[part.get(b).length - 1]);
            }
        }
        return heldOut.isEmpty() ? Double.NaN : sum / heldOut.size();
    }

    private static double ndcgOfTarget(float[] scores, int[] seen, int target) {
        Set<Integer> excluded = new HashSet<>();
        for (int r : seen) {
            excluded.add(r);
        }
        excluded.remove(target);
        float t = scores[target];
        if (!Float.isFinite(t)) {
            return 0;
        }
        int above = 0;
        for (int r = 1; r < scores.length; r++) {
            if (r != target && !excluded.contains(r) && !(scores[r] <= t) && ++above >= K) {
                return 0; // a NaN score counts as above: a broken model does not rank well
            }
        }
        return 1 / (Math.log(above + 2) / Math.log(2)); // NDCG with one relevant item at 0-based rank `above`
    }

    /** Training sequences (held-out users without their last item) and the held-out users' full sequences. */
    private record Split(List<int[]> train, List<int[]> heldOut, int users) {

        /** @param rows an item's row; 0 leaves it out */
        static Split of(Map<String, List<String>> sequences, java.util.function.ToIntFunction<String> rows,
                double share) {
            List<int[]> train = new ArrayList<>();
            List<int[]> heldOut = new ArrayList<>();
            int every = Math.max(1, (int) Math.round(1 / Math.max(1e-3, share)));
            int eligible = 0;
            for (List<String> items : sequences.values()) {
                int[] s = items.stream().mapToInt(rows).filter(r -> r > 0).toArray();
                // Every n-th eligible user in a fixed order: the same slice for the same histories.
                if (s.length >= 3 && eligible++ % every == 0 && heldOut.size() < MAX_HELD_OUT) {
                    heldOut.add(s);
                    train.add(java.util.Arrays.copyOf(s, s.length - 1));
                } else {
                    train.add(s);
                }
            }
            return new Split(train, heldOut, sequences.size());
        }
    }
}
