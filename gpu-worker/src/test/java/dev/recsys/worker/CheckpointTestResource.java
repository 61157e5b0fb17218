package dev.recsys.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A checkpoint store in a fresh folder, written every second there is something new. */
public class CheckpointTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        try {
            return Map.of("worker.checkpoint.store", Files.createTempDirectory("checkpoints-").toUri().toString(),
                    "worker.checkpoint.interval", "PT1S");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
    }
}
