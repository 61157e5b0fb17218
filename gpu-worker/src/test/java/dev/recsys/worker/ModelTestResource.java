package dev.recsys.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.sasrec.ModelFolder;
import dev.recsys.core.sasrec.SasRecConfig;
import dev.recsys.core.sasrec.SasRecModel;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A small untrained SASRec checkpoint for the worker to load, written without the engine so that only the
 * worker under test loads PyTorch's native library.
 */
public class ModelTestResource implements QuarkusTestResourceLifecycleManager {

    public static final List<String> ITEMS = List.of("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8");
    /** The newest event time the model claims to have been fitted on (2001-09-09). */
    public static final long FITTED_THROUGH = 1_000_000_000_000L;

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("model-").resolve("sasrec-test");
            SasRecConfig config = new SasRecConfig(8, 16, 1, 1, 0.1f, 1e-3f, 8, 0, 5);
            ModelFolder.save(dir, config, SasRecModel.initialWeights(config, ITEMS.size() + 1),
                    ItemVocabulary.of(ITEMS), FITTED_THROUGH);
            // The blend starts at half, not at the table alone (the default), so that these tests' answers
            // go through the model's side: a handful of events is no evidence for the gate either way.
            return Map.of("worker.model.path", dir.toString(), "worker.training.enabled", "true",
                    "worker.model.cache-dir", System.getProperty("DJL_CACHE_DIR", "target/djl-cache"),
                    "worker.blend.weight", "0.5");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
    }
}
