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

/** Where the model starts from: a restored checkpoint (with its optimizer state) or a trained model. */
public record StartingModel(SasRecConfig config, SasRecModel.Weights weights, ItemVocabulary vocabulary, String name,
        Optional<CheckpointImage.ModelState> restored) {

    /** The model in checkpoint {@code checkpointId}'s {@code state}, with its optimizer state. */
    public static StartingModel restored(CheckpointImage state, String checkpointId) {
        ItemVocabulary vocabulary = ItemVocabulary.of(state.vocabulary());
        CheckpointImage.ModelState m = state.model().orElseThrow().fitTo(vocabulary.rows());
        return new StartingModel(m.config(), m.weights(), vocabulary, "sasrec@" + checkpointId, Optional.of(m));
    }

    /** A model the worker trained itself from its histories. */
    public static StartingModel trained(SasRecConfig config, SasRecModel.Weights weights, ItemVocabulary vocabulary,
            String name) {
        return new StartingModel(config, weights, vocabulary, name, Optional.empty());
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
                    "sasrec@" + path.getFileName(), Optional.empty());
        }
    }
}
