package dev.recsys.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.recsys.kafka.LocalKafka;

/** Starts a real broker on free loopback ports for a Quarkus test run and points the app at it. */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    private LocalKafka kafka;

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("kafka-test-");
            kafka = LocalKafka.startOnFreePorts(dir);
            return Map.of("kafka.bootstrap.servers", kafka.bootstrapServers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }
}
