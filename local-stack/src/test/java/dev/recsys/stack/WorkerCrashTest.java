package dev.recsys.stack;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;

import dev.recsys.core.checkpoint.CheckpointImage;
import dev.recsys.core.checkpoint.CheckpointImageCodec;
import dev.recsys.stack.client.MetricsScrape;
import dev.recsys.store.BlobStores;
import dev.recsys.store.Checkpoint;
import dev.recsys.store.CheckpointStore;
import dev.recsys.store.S3Settings;

/**
 * Recovery loses nothing and doubles nothing: a worker that checkpoints every second is killed with SIGKILL
 * at random points while a few thousand events arrive through the functions, and restarted each time. Its
 * final state (histories, vocabulary, event count) must equal that of a worker that read the same log once
 * without a crash.
 */
class WorkerCrashTest {

    static final int EVENTS = 3000;
    static final int KILLS = 5;
    static final int START_ITEMS = 40;
    static final String[] TYPES = { "view", "click", "purchase", "skip", "like", "dislike" };

    @Test
    void aWorkerKilledAtRandomEndsAsIfNeverKilled() throws Exception {
        Path root = Path.of(System.getProperty("stack.root", "..")).toAbsolutePath().normalize();
        Path run = Files.createTempDirectory("worker-crash-");
        // A tiny model, so the worker trains online and grows its vocabulary as new items arrive.
        Path model = TinyModel.save(run.resolve("model"), START_ITEMS);
        Path crashed = run.resolve("checkpoints-crashed");
        Map<String, String> worker = Map.of(
                "worker.model.path", model.toString(),
                "worker.model.cache-dir", root.resolve("target/djl-cache").toString(),
                "worker.training.enabled", "true",
                "worker.checkpoint.store", crashed.toUri().toString(),
                "worker.checkpoint.interval", "PT1S",
                "worker.checkpoint.events", "400");
        List<String> events = events(new Random(11));
        Random kills = new Random(12);
        try (LocalStack stack = LocalStack.start(root, run.resolve("stack"), LocalStack.Ports.free(), worker)) {
            AtomicInteger sent = new AtomicInteger();
            Thread ingest = new Thread(() -> {
                for (int from = 0; from < events.size(); from += 20) {
                    String batch = "[" + String.join(",", events.subList(from, Math.min(events.size(), from + 20))) + "]";
                    given().baseUri(stack.functionsUrl()).contentType(ContentType.JSON).body(batch).post("/ingest")
                            .then().statusCode(202);
                    sent.addAndGet(Math.min(20, events.size() - from));
                    sleep(150);
                }
            }, "ingest");
            ingest.start();
            CheckpointStore written = new CheckpointStore(
                    BlobStores.open(crashed.toUri().toString(), S3Settings.aws("us-east-1")), 3);
            // The first kill after the first checkpoint, so that every restart has one to recover from.
            await().atMost(Duration.ofSeconds(30)).until(() -> !written.ids().isEmpty());
            for (int k = 0; k < KILLS; k++) {
                sleep(800 + kills.nextInt(2500));
                stack.killWorker();
                stack.startWorker();
            }
            ingest.join();
            assertEquals(EVENTS, sent.get());
            awaitApplied(stack.workerUrl(), EVENTS);
            stack.stopWorker(); // graceful: writes the final checkpoint

            // The reference: another worker, its own group and store, reads the same log once, never killed.
            Path clean = run.resolve("checkpoints-clean");
            java.util.HashMap<String, String> reference = new java.util.HashMap<>(worker);
            reference.put("worker.checkpoint.store", clean.toUri().toString());
            reference.put("worker.checkpoint.interval", "PT1H");
            reference.put("worker.checkpoint.events", "1000000");
            reference.put("worker.instance-id", "reference");
            reference.put("mp.messaging.incoming.feedback.group.id", "reference");
            reference.put("worker.scoring.group-id", "reference-scoring");
            reference.put("kafka.bootstrap.servers", stack.bootstrapServers());
            ManagedApp once = new ManagedApp("reference-worker", LocalStack.jar(root, "gpu-worker"),
                    dev.recsys.kafka.LocalKafka.freePort(), reference, run.resolve("reference-worker.log"));
            try {
                once.start();
                awaitApplied(once.url(), EVENTS);
            } finally {
                once.close();
            }

            CheckpointImage afterCrashes = latest(crashed);
            CheckpointImage neverKilled = latest(clean);
            assertEquals(EVENTS, neverKilled.eventsApplied());
            assertEquals(EVENTS, afterCrashes.eventsApplied(), "no event lost, none applied twice");
            assertEquals(neverKilled.histories(), afterCrashes.histories());
            // Rows are given in order of first sight, which interleaving across partitions decides: the
            // vocabulary is compared as a set of items.
            assertEquals(new TreeSet<>(neverKilled.vocabulary()), new TreeSet<>(afterCrashes.vocabulary()));
            assertTrue(afterCrashes.vocabulary().size() > START_ITEMS, "new items were added online");
            long restores = Files.readAllLines(run.resolve("stack/worker.log")).stream()
                    .filter(l -> l.contains("restored checkpoint")).count();
            assertTrue(restores >= KILLS, "each restart after a kill restored a checkpoint: " + restores);
        }
    }

    /** Events for 60 users over 120 items (80 of them new to the model), in a fixed order. */
    static List<String> events(Random random) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            out.add("{\"userId\":\"user-%d\",\"itemId\":\"item-%d\",\"type\":\"%s\"}".formatted(random.nextInt(60),
                    random.nextInt(120), TYPES[random.nextInt(TYPES.length)]));
        }
        return out;
    }

    static void awaitApplied(String workerUrl, int events) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
            try {
                return MetricsScrape.of(workerUrl).value("worker_feedback_applied") == events;
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }

    static CheckpointImage latest(Path store) {
        CheckpointStore checkpoints = new CheckpointStore(
                BlobStores.open(store.toUri().toString(), S3Settings.aws("us-east-1")), 3);
        Checkpoint c = checkpoints.loadLatest().orElseThrow();
        return CheckpointImageCodec.decode(c.blobs(), c.manifest().metadata());
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
