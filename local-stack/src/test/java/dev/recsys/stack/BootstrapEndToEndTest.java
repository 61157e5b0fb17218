package dev.recsys.stack;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;

import dev.recsys.stack.client.MetricsScrape;
import dev.recsys.store.BlobStores;
import dev.recsys.store.CheckpointStore;

/**
 * A worker started with no model grows its own on the real stack: the co-occurrence table serves while the
 * generated feedback comes in, the worker trains a Transformer from its histories once there is enough and
 * swaps it in, re-fits it after more feedback, the next checkpoint carries it, a restarted worker serves it
 * without training again, and a re-fit that scores worse than the served weights is rejected.
 */
class BootstrapEndToEndTest {

    @Test
    void aWorkerWithoutAModelTrainsOneSwapsItInAndRestoresItAfterARestart() throws Exception {
        Path root = Path.of(System.getProperty("stack.root", "..")).toAbsolutePath().normalize();
        Path run = Files.createTempDirectory("bootstrap-");
        String checkpoints = run.resolve("checkpoints").toUri().toString();
        try (LocalStack stack = LocalStack.start(root, run.resolve("stack"), LocalStack.Ports.free(), Map.of(
                "worker.checkpoint.store", checkpoints,
                "worker.checkpoint.interval", "PT1S",
                "worker.bootstrap.min-positive-events", "500",
                "worker.bootstrap.min-users", "30",
                "worker.bootstrap.quiet", "PT1S",
                "worker.bootstrap.max-epochs", "8",
                "worker.bootstrap.patience", "3",
                "worker.refit.every-events", "200",
                "worker.refit.max-epochs", "4"))) {
            String first = modelVersion(stack, "u0");
            assertFalse(first.startsWith("sasrec@"), "no model before there is data: " + first);
            assertTrue(bootstrapStatus(stack).startsWith("waiting for data"), bootstrapStatus(stack));

            // 60 users walk a cycle of 40 items from random starting points, 12 views each.
            Random random = new Random(5);
            Map<String, List<String>> viewed = walk(stack, random, 0, 60, 40);

            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> modelVersion(stack, "u0").startsWith("sasrec@"));
            String status = bootstrapStatus(stack);
            assertTrue(status.startsWith("done: sasrec@bootstrap in service"), status);
            double epochs = MetricsScrape.of(stack.workerUrl()).value("worker_bootstrap_epoch");
            assertTrue(epochs >= 1, "worker_bootstrap_epoch " + epochs);
            String log = Files.readString(run.resolve("stack/worker.log"));
            assertTrue(log.contains("bootstrap epoch 1/8: loss"), "epochs are logged");
            explanationsComeFromTheHistory(stack, "u0", viewed.get("u0"));

            // A second wave, with items the first model never saw: a re-fit runs (every 200 new positive
            // events here) and is swapped in, its held-out NDCG@10 not worse than the served weights'.
            walk(stack, random, 60, 80, 50);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> refits(stack) >= 1);
            String refitLog = Files.readString(run.resolve("stack/worker.log"));
            String accepted = refitLog.lines().filter(l -> l.contains("re-fit ")
                    && (l.contains(" accepted") || l.contains(" rejected"))).findFirst().orElseThrow();
            System.out.println("re-fit: " + accepted);
            // More training on more data, at the model's own learning rate: not worse on the held-out users.
            assertTrue(accepted.contains("re-fit accepted"), accepted);

            // The next checkpoint holds the model; a restart serves it from there and trains nothing.
            CheckpointStore store = new CheckpointStore(BlobStores.open(checkpoints, null), 3);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> store.loadLatest()
                    .map(c -> c.blobs().containsKey("weights.bin")).orElse(false));
            stack.stopWorker();
            stack.startWorker();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> modelVersion(stack, "u0").startsWith("sasrec@"));
            String after = Files.readString(run.resolve("stack/worker.log"));
            assertEquals(1, count(after, "bootstrap: training a first model"), "trained once, restored after");
            assertTrue(after.contains("restored checkpoint"), "the restart restored a checkpoint");

            // Restarted with a re-fit learning rate that wrecks every epoch: after a third wave the pass scores
            // below the served weights on the held-out users and is rejected; the served model stays.
            stack.stopWorker();
            stack.startWorker(Map.of("worker.refit.learning-rate", "50"));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> modelVersion(stack, "u0").startsWith("sasrec@"));
            walk(stack, random, 80, 100, 50);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> MetricsScrape
                    .of(stack.workerUrl()).sumWhere("worker_refits_total", "outcome=\"rejected\"") >= 1);
            String rejected = Files.readString(run.resolve("stack/worker.log")).lines()
                    .filter(l -> l.contains("re-fit rejected")).findFirst().orElseThrow();
            System.out.println("re-fit: " + rejected);
            assertTrue(modelVersion(stack, "u0").startsWith("sasrec@"), "the served model stays");
        }
    }

    /** Users {@code from} to {@code to - 1} view 12 items each of a cycle of {@code items}; what each viewed. */
    static Map<String, List<String>> walk(LocalStack stack, Random random, int from, int to, int items) {
        Map<String, List<String>> viewed = new java.util.HashMap<>();
        for (int u = from; u < to; u++) {
            int start = random.nextInt(items);
            List<String> events = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String item = "i" + (start + i) % items;
                viewed.computeIfAbsent("u" + u, x -> new ArrayList<>()).add(item);
                events.add("{\"userId\":\"u%d\",\"itemId\":\"%s\",\"type\":\"view\",\"timestamp\":%d}"
                        .formatted(u, item, System.currentTimeMillis() - 60_000 + i));
            }
            api(stack).body("[" + String.join(",", events) + "]").post("/ingest").then().statusCode(202);
        }
        return viewed;
    }

    /**
     * With the worker's own model (blended with the table), {@code explain} names for each item only items of
     * the user's history, with shares that sum to at most 1; and without it, no evidence at all.
     */
    static void explanationsComeFromTheHistory(LocalStack stack, String user, List<String> history) {
        var answer = api(stack).body("{\"userId\":\"%s\",\"k\":10,\"explain\":true}".formatted(user))
                .post("/recommend").then().statusCode(200).extract().jsonPath();
        assertTrue(answer.getString("modelVersion").startsWith("sasrec@"), answer.getString("modelVersion"));
        List<Map<String, Object>> items = answer.getList("items");
        int explained = 0;
        for (Map<String, Object> item : items) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> because = (List<Map<String, Object>>) item.get("because");
            assertTrue(because != null, "every item carries its evidence: " + item);
            double sum = 0;
            for (Map<String, Object> e : because) {
                assertTrue(history.contains((String) e.get("itemId")), e + " is not in " + history);
                sum += ((Number) e.get("share")).doubleValue();
            }
            assertTrue(sum <= 1 + 1e-6, "shares of " + item.get("itemId") + " sum to " + sum);
            explained += because.isEmpty() ? 0 : 1;
        }
        assertTrue(explained > 0, "some item is explained by the history: " + items);
        String plain = api(stack).body("{\"userId\":\"%s\",\"k\":10}".formatted(user)).post("/recommend").then()
                .statusCode(200).extract().asString();
        assertFalse(plain.contains("because"), plain);
    }

    static double refits(LocalStack stack) throws Exception {
        MetricsScrape m = MetricsScrape.of(stack.workerUrl());
        return m.sumWhere("worker_refits_total", "outcome=\"accepted\"")
                + m.sumWhere("worker_refits_total", "outcome=\"rejected\"");
    }

    static io.restassured.specification.RequestSpecification api(LocalStack stack) {
        return given().baseUri(stack.functionsUrl()).contentType(ContentType.JSON);
    }

    static String modelVersion(LocalStack stack, String user) {
        return api(stack).body("{\"userId\":\"%s\",\"k\":5}".formatted(user)).post("/recommend").then()
                .statusCode(200).extract().jsonPath().getString("modelVersion");
    }

    static String bootstrapStatus(LocalStack stack) {
        List<Map<String, Object>> checks = given().baseUri(stack.workerUrl()).get("/q/health/ready").then()
                .extract().jsonPath().getList("checks");
        return checks.stream().filter(c -> "model".equals(c.get("name"))).findFirst()
                .map(c -> String.valueOf(((Map<?, ?>) c.get("data")).get("bootstrap"))).orElse("no model check");
    }

    static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
