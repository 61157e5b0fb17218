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

/**
 * The model a replay's Transformer starts from: SASRec trained on the warm part's positive events (what the
 * worker's sequences hold), in the worker's shape ({@code HistoryTraining.config()}), item rows started from
 * co-occurrence, each user's newest window, a per-epoch weight average, saved
 * as a checkpoint the worker loads.
 */
public final class WarmStart {

    static final int COOCCURRENCE_WINDOW = 5;
    static final double AVERAGE_DECAY = 0.8;

    private WarmStart() {
    }

    /** The shape the warm start trains; the worker trains it on from there. */
    public static SasRecConfig config() {
        return dev.recsys.core.sasrec.HistoryTraining.config();
    }

    /** Trains on every user's positive items in {@code warm} (time order) and saves the model in {@code dir}. */
    public static Path train(List<Interaction> warm, Predicate<Interaction> positive, int epochs, Path dir)
            throws IOException {
        return train(warm, positive, epochs, config(), dir);
    }

    /** As above, with another shape or dropout than the worker's (an experiment's). */
    public static Path train(List<Interaction> warm, Predicate<Interaction> positive, int epochs,
            SasRecConfig config, Path dir) throws IOException {
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
        List<int[]> windows = SasRecTrainer.newestWindows(sequences, config.maxLength());
        System.out.printf(Locale.ROOT, "warm start: %d users, %d items, %d training windows, %d epochs, %s%n",
                sequences.size(), vocabulary.rows() - 1, windows.size(), epochs, config);
        try (SasRecModel model = SasRecModel.create(config, vocabulary.rows())) {
            CooccurrenceEmbeddings.startItems(model, sequences, COOCCURRENCE_WINDOW);
            SasRecTrainer trainer = new SasRecTrainer(model);
            WeightAverage average = new WeightAverage(AVERAGE_DECAY);
            for (int e = 1; e <= epochs; e++) {
                long t0 = System.nanoTime();
                double loss = trainer.epoch(windows, SasRecTrainer.ProgressListener.NONE);
                average.update(model.weights());
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "\r  epoch %d/%d loss %.3f (%.0f sequences/s)   ", e, epochs, loss,
                        windows.size() / seconds);
            }
            System.out.println();
            model.load(average.current());
            // The fit's newest event time tells the worker's blend probe which events the model saw in training.
            ModelFolder.save(dir, model, vocabulary, timed ? fittedThrough : ModelFolder.UNKNOWN);
        }
        return dir;
    }
}
