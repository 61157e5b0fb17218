package dev.recsys.eval;

import java.util.List;

import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.neighbours.ItemNeighbours;
import dev.recsys.core.sasrec.SasRecConfig;
import dev.recsys.core.sasrec.SasRecModel;
import dev.recsys.core.sasrec.SasRecTrainer;
import dev.recsys.core.sasrec.TrainingWindows;

/**
 * A full pass over the histories the worker holds, warm-started from the weights it serves: the item table
 * grown to the vocabulary, each new item's row started as the co-occurrence-weighted mean of its trained
 * neighbours' rows (so it ranks beside the items it is taken with before any step has touched it), then a
 * few epochs on every user's newest window with the offline recipe's learning rate and dropout. Online
 * steps move the model only a little per event (a small learning rate keeps it from chasing whoever is
 * active); this pass is what teaches it the stream's new items and new users' patterns. An experiment of
 * {@code bin/stream-replay} (variant {@code refit}), not wired into the worker: it lifted the model 30% there and
 * still ranked 30% under the co-occurrence table.
 */
public final class WarmStartRefitExperiment {

    /**
     * @param epochs       passes over the histories
     * @param learningRate Adam's step size (a fresh Adam: this model is trained apart from the online one)
     * @param dropout      while re-fitting
     */
    public record Settings(int epochs, float learningRate, float dropout) {
        public Settings {
            if (epochs < 1 || !(learningRate > 0) || !(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("invalid re-fit settings: epochs " + epochs + ", learning rate "
                        + learningRate + ", dropout " + dropout);
            }
        }
    }

    private WarmStartRefitExperiment() {
    }

    /**
     * @param start     the weights to start from; their item rows are the trained ones
     * @param sequences every user's positive items as vocabulary rows, oldest first
     * @return the re-fit weights, with one row per vocabulary row
     */
    public static SasRecModel.Weights run(SasRecConfig config, SasRecModel.Weights start, ItemVocabulary vocabulary,
            List<int[]> sequences, ItemNeighbours cooccurrence, Settings settings) {
        int trained = (int) start.shapes().get("items")[0];
        int rows = vocabulary.rows();
        for (int[] s : sequences) {
            for (int r : s) {
                rows = Math.max(rows, r + 1);
            }
        }
        SasRecConfig refitConfig = config.withLearningRate(settings.learningRate()).withDropout(settings.dropout());
        try (SasRecModel model = SasRecModel.of(refitConfig, start)) {
            SasRecTrainer trainer = new SasRecTrainer(model);
            trainer.growItems(rows);
            SasRecModel.Weights grown = model.weights();
            dev.recsys.core.sasrec.NewItemRows.fromNeighbours(grown.values().get("items"), config.dim(), trained, rows,
                    vocabulary, cooccurrence);
            model.load(grown);
            List<int[]> windows = TrainingWindows.NEWEST.of(sequences, config.maxLength());
            for (int e = 0; e < settings.epochs(); e++) {
                trainer.epoch(windows, SasRecTrainer.ProgressListener.NONE);
            }
            return model.weights();
        }
    }
}
