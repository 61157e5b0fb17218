package dev.recsys.stack;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;

import dev.recsys.store.BlobStores;
import dev.recsys.store.CheckpointStore;
import dev.recsys.store.S3Settings;

/** A read-only serving replica follows the checkpoints a training primary writes, and writes none itself. */
class ReplicaTest {

    @Test
    void aReplicaHotReloadsTheModelFromNewerCheckpointsWithoutTraining() throws Exception {
        Path root = Path.of(System.getProperty("stack.root", "..")).toAbsolutePath().normalize();
        Path run = Files.createTempDirectory("replica-");
        Path model = TinyModel.save(run.resolve("model"), 20);
        Path store = run.resolve("checkpoints");
        Map<String, String> primary = Map.of(
                "worker.model.path", model.toString(),
                "worker.model.cache-dir", root.resolve("target/djl-cache").toString(),
                "worker.training.enabled", "true",
                "worker.checkpoint.store", store.toUri().toString(),
                "worker.checkpoint.interval", "PT1S",
                "worker.checkpoint.events", "1000000");
        CheckpointStore written = new CheckpointStore(
                BlobStores.open(store.toUri().toString(), S3Settings.aws("us-east-1")), 3);
        try (LocalStack stack = LocalStack.start(root, run.resolve("stack"), LocalStack.Ports.free(), primary)) {
            ingest(stack, new Random(1), 200);
            await().atMost(Duration.ofSeconds(30)).until(() -> written.latestId().isPresent());

            Map<String, String> replicaConfig = new HashMap<>(primary);
            replicaConfig.remove("worker.model.path");
            replicaConfig.put("worker.mode", "replica");
            replicaConfig.put("worker.checkpoint.poll", "PT0.5S");
            replicaConfig.put("worker.instance-id", "replica-1");
            replicaConfig.put("mp.messaging.incoming.feedback.group.id", "replica-1");
            replicaConfig.put("kafka.bootstrap.servers", stack.bootstrapServers());
            ManagedApp replica = new ManagedApp("replica", LocalStack.jar(root, "gpu-worker"),
                    dev.recsys.kafka.LocalKafka.freePort(), replicaConfig, run.resolve("replica.log"));
            try {
                replica.start();
                String first = serving(replica);
                assertTrue(first.startsWith("sasrec@0"), "the replica starts on a checkpoint: " + first);
                String idsBefore = written.ids().toString();

                ingest(stack, new Random(2), 300); // new items, more training, newer checkpoints
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                        written.latestId().map(id -> !("sasrec@" + id).equals(first)).orElse(false)
                                && serving(replica).equals("sasrec@" + written.latestId().orElseThrow()));

                assertEquals("off", modelCheck(replica, "training"));
                assertFalse(Files.readString(run.resolve("replica.log")).contains("written to"),
                        "a replica writes no checkpoints");
                assertFalse(idsBefore.equals(written.ids().toString()), "the primary went on writing");
                assertEquals(200, given().baseUri(replica.url()).get("/q/health/ready").statusCode());
            } finally {
                replica.close();
            }
        }
    }

    static String serving(ManagedApp worker) {
        return modelCheck(worker, "serving");
    }

    /** A value the readiness check {@code model} reports. */
    static String modelCheck(ManagedApp worker, String key) {
        List<Map<String, Object>> checks = given().baseUri(worker.url()).get("/q/health/ready").then()
                .extract().jsonPath().getList("checks");
        return checks.stream().filter(c -> "model".equals(c.get("name")))
                .map(c -> String.valueOf(((Map<?, ?>) c.get("data")).get(key))).findFirst().orElse("none");
    }

    static void ingest(LocalStack stack, Random random, int events) {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < events; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"userId\":\"u%d\",\"itemId\":\"item-%d\",\"type\":\"click\"}"
                    .formatted(random.nextInt(30), random.nextInt(60)));
        }
        given().baseUri(stack.functionsUrl()).contentType(ContentType.JSON).body(batch.append("]").toString())
                .post("/ingest").then().statusCode(202);
    }
}
