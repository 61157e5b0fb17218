package dev.recsys.stack;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.sasrec.ModelFolder;
import dev.recsys.core.sasrec.SasRecConfig;
import dev.recsys.core.sasrec.SasRecModel;

/** An untrained SASRec model small enough that a worker trains it online at no cost, for stack tests. */
final class TinyModel {

    private TinyModel() {
    }

    /** Saves a model knowing {@code item-0 .. item-(items-1)} to {@code dir} (a worker.model.path). */
    static Path save(Path dir, int items) throws IOException {
        SasRecConfig config = new SasRecConfig(8, 8, 2, 1, 0f, 1e-3f, 8, 0, 5);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            ids.add("item-" + i);
        }
        ModelFolder.save(dir, config, SasRecModel.initialWeights(config, items + 1), ItemVocabulary.of(ids));
        return dir;
    }
}
