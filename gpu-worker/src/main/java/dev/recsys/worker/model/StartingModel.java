package dev.recsys.worker.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.checkpoint.CheckpointImage;
import dev.recsys.core.sasrec.ModelFolder;
import dev.recsys.core.sasrec.SasRecConfig;
import dev.recsys.core.sasrec.SasRecModel;

/**
 * Where the model starts from: a restored checkpoint (with its optimizer state) or a trained model.
 *
 * @param fittedThroughMillis the newest event time the weights were fitted on in a full fit,
 *                            {@link ModelFolder#UNKNOWN} when not known
 */
public record StartingModel(SasRecConfig config, SasRecModel.Weights weights, ItemVocabulary vocabulary, String name,
        Optional<CheckpointImage.ModelState> restored, long fittedThroughMillis) {

    /** The model in checkpoint {@code checkpointId}'s {@code state}, with its optimizer state. */
    public static StartingModel restored(CheckpointImage state, String checkpointId) {
        ItemVocabulary vocabulary = ItemVocabulary.of(state.vocabulary());
        CheckpointImage.ModelState m = state.model().orElseThrow().fitTo(vocabulary.rows());
        return new StartingModel(m.config(), m.weights(), vocabulary, "sasrec@" + checkpointId, Optional.of(m),
                m.fittedThroughMillis());
    }

    /**
     * A model the worker trained itself from its histories. Its fit's newest event time is left unknown: the
     * blend's probe that comes with it only sees events applied after the histories were copied.
     */
    public static StartingModel trained(SasRecConfig config, SasRecModel.Weights weights, ItemVocabulary vocabulary,
            String name) {
        return new StartingModel(config, weights, vocabulary, name, Optional.empty(), ModelFolder.UNKNOWN);
    }

    public static StartingModel loaded(Path path) {
        ModelFolder.Loaded loaded;
        try {
            loaded = ModelFolder.load(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the model in " + path, e);
        }
        try (SasRecModel model = loaded.model()) {
            return new StartingModel(model.config(), model.weights(), loaded.vocabulary(),
                    "sasrec@" + path.getFileName(), Optional.empty(), loaded.fittedThroughMillis());
        }
    }
}
