package dev.recsys.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import dev.recsys.core.ItemVocabulary;
import dev.recsys.eval.Dataset.Interaction;
import dev.recsys.core.sasrec.CooccurrenceEmbeddings;
import dev.recsys.core.sasrec.ModelFolder;
import dev.recsys.core.sasrec.SasRecConfig;
import dev.recsys.core.sasrec.SasRecModel;
import dev.recsys.core.sasrec.SasRecTrainer;
import dev.recsys.core.sasrec.TrainingWindows;

/**
 * The model a replay's Transformer starts from: SASRec trained on the warm part's positive events (what the
 * worker's sequences hold), in the worker's shape ({@code HistoryTraining.config()}), item rows started from
 * co-occurrence, the training windows the caller names (the replays' default: every window of each history), a
 * per-epoch weight average, saved as a checkpoint the worker loads.
 * <p>
 * Trained as an operator would before going live: until the held-out last item of each user (3 or more items)
 * stops improving for {@code patience} epochs, keeping the best epoch's average (bin/evaluate's recipe). A
 * fixed 30 epochs left the two-block model short of its plateau on ml-1m-prefix, where offline validation was
 * still rising at epoch 49; so did a patience of 5, which kept epoch 28 of a held-out curve still rising
 * (patience 10 kept epoch 63: held-out NDCG@10 0.1550 to 0.1633, the served blend 1.193x to 1.214x the table).
 */
public final class WarmStart {

    static final int COOCCURRENCE_WINDOW = 5;
    static final double AVERAGE_DECAY = 0.8;
    /** Epochs without a better held-out NDCG@10 before training stops: bin/evaluate's default. */
    public static final int PATIENCE = EvaluateOptions.DEFAULT_PATIENCE;

    private WarmStart() {
    }

    /** The shape the warm start trains; the worker trains it on from there. */
    public static SasRecConfig config() {
        return dev.recsys.core.sasrec.HistoryTraining.config();
    }

    /**
     * What was trained and kept: the model folder, the epochs run, the epoch whose average was kept (the last
     * one when nothing was held out) and its held-out NDCG@10 (NaN when nothing was).
     */
    public record Fitted(Path dir, int epochs, int keptEpoch, double heldOutNdcg10) {
    }

    /** Trains on every user's positive items in {@code warm} (time order) and saves the model in {@code dir}. */
    public static Fitted train(List<Interaction> warm, Predicate<Interaction> positive, int maxEpochs,
            TrainingWindows trainingWindows, Path dir) throws IOException {
        return train(warm, positive, maxEpochs, config(), trainingWindows, dir);
    }

    /** As above, with another shape or dropout than the worker's (an experiment's). */
    public static Fitted train(List<Interaction> warm, Predicate<Interaction> positive, int maxEpochs,
            SasRecConfig config, TrainingWindows trainingWindows, Path dir) throws IOException {
        if (maxEpochs < 1) {
            throw new IllegalArgumentException("the warm start needs at least one epoch, was " + maxEpochs);
        }
        Map<String, List<String>> byUser = new LinkedHashMap<>();
        long fittedThrough = Long.MIN_VALUE;
        boolean timed = true;
        for (Interaction i : warm) {
            if (positive.test(i)) {
                byUser.computeIfAbsent(i.user(), u -> new ArrayList<>()).add(i.item());
                fittedThrough = Math.max(fittedThrough, i.millis());
                timed &= i.timestamp() > 0;
            }
        }
        ItemVocabulary vocabulary = new ItemVocabulary();
        List<int[]> sequences = new ArrayList<>();
        for (List<String> items : byUser.values()) {
            sequences.add(items.stream().mapToInt(vocabulary::add).toArray());
        }
        HeldOut split = HeldOut.lastItems(sequences);
        List<int[]> windows = trainingWindows.of(split.train(), config.maxLength());
        System.out.printf(Locale.ROOT, "warm start: %d users, %d items, %d training windows (%s), %d held out, "
                + "at most %d epochs (patience %d), %s%n", sequences.size(), vocabulary.rows() - 1, windows.size(),
                trainingWindows.label(),
                split.validation().size(), maxEpochs, PATIENCE, config);
        try (SasRecModel model = SasRecModel.create(config, vocabulary.rows())) {
            CooccurrenceEmbeddings.startItems(model, split.train(), COOCCURRENCE_WINDOW);
            SasRecTrainer trainer = new SasRecTrainer(model);
            WeightAverage average = new WeightAverage(AVERAGE_DECAY);
            Evaluator evaluator = new Evaluator(vocabulary.rows(), split.train(), null);
            Ranker ranker = EvaluateCommand.ranker(model);
            SasRecModel.Weights best = null;
            double bestScore = Double.NEGATIVE_INFINITY;
            int bestEpoch = 0;
            int e = 0;
            while (e < maxEpochs && e - bestEpoch < PATIENCE) {
                e++;
                long t0 = System.nanoTime();
                double loss = trainer.epoch(windows, SasRecTrainer.ProgressListener.NONE);
                double seconds = (System.nanoTime() - t0) / 1e9;
                SasRecModel.Weights own = model.weights();
                average.update(own);
                model.load(average.current());
                // Without a held-out item (tiny data) the latest average is kept, as a fixed count would.
                double score = split.validation().size() == 0 ? Double.NaN
                        : evaluator.evaluate(ranker, split.validation()).ndcg10();
                if (Double.isNaN(score) || score > bestScore) {
                    best = average.snapshot();
                    bestScore = Double.isNaN(score) ? bestScore : score;
                    bestEpoch = e;
                }
                model.load(own); // training goes on from its own weights, with Adam's moments
                System.out.printf(Locale.ROOT, "\r  epoch %d/%d loss %.3f held-out NDCG@10 %.4f, best %.4f at %d "
                        + "(%.0f sequences/s)   ", e, maxEpochs, loss, score, bestScore, bestEpoch,
                        windows.size() / seconds);
            }
            System.out.println();
            System.out.printf(Locale.ROOT, "warm start: kept epoch %d (held-out NDCG@10 %.4f)%n", bestEpoch, bestScore);
            model.load(best);
            // The fit's newest event time tells the worker's blend probe which events the model saw in training.
            ModelFolder.save(dir, model, vocabulary, timed ? fittedThrough : ModelFolder.UNKNOWN);
            return new Fitted(dir, e, bestEpoch, split.validation().size() == 0 ? Double.NaN : bestScore);
        }
    }

    /**
     * Each user's last item held out (users with 3 or more), the rest trained on; shorter users train whole.
     * The held-out items are a small share (one per user) and the most recent: the stream's first answers
     * still read them from the histories, only the fit leaves them out.
     */
    record HeldOut(List<int[]> train, LeaveOneOut.Task validation) {

        static HeldOut lastItems(List<int[]> sequences) {
            List<int[]> train = new ArrayList<>(sequences.size());
            LeaveOneOut.Task validation = new LeaveOneOut.Task();
            for (int[] s : sequences) {
                if (s.length < 3) {
                    train.add(s);
                    continue;
                }
                int[] before = java.util.Arrays.copyOf(s, s.length - 1);
                train.add(before);
                validation.inputs.add(before);
                validation.targets.add(s[s.length - 1]);
            }
            return new HeldOut(train, validation);
        }
    }
}
