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
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import dev.recsys.stack.client.MetricsScrape;
import dev.recsys.store.BlobStores;
import dev.recsys.store.CheckpointStore;

/**
 * What a client may rely on after a 202, and after a 503 that says the outcome is unknown, on the real stack
 * with the worker checkpointing every second: a recommend sent after an acknowledged ingest reflects it, and
 * a batch retried with the ids it was given is applied once, across a worker crash too.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RetrySafeIngestTest {

    static LocalStack stack;
    static String checkpointStore;
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void start() throws Exception {
        Path root = Path.of(System.getProperty("stack.root", "..")).toAbsolutePath().normalize();
        Path run = Files.createTempDirectory("retry-safe-");
        checkpointStore = run.resolve("checkpoints").toUri().toString();
        stack = LocalStack.start(root, run.resolve("stack"), LocalStack.Ports.free(), Map.of(
                "worker.scorer", "popularity",
                "worker.checkpoint.store", checkpointStore,
                "worker.checkpoint.interval", "PT1S"));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void aRecommendSentAfterAnAcknowledgedIngestReflectsItWhileCheckpointsAreWritten() throws Exception {
        // A hot item every fresh user views, then asks at once: were the view not applied yet, the hot item
        // would come back (seen items are excluded only once the worker has the event).
        String hot = "ryw-hot-" + RUN;
        for (int i = 0; i < 20; i++) {
            ingest(batch("ryw-warm-" + i + "-" + RUN, List.of(hot), null)).then().statusCode(202);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> recommend("ryw-stranger-" + RUN).getList("items.itemId")
                .equals(List.of(hot)));
        double checkpointsBefore = checkpoints();

        AtomicInteger misses = new AtomicInteger();
        AtomicInteger behind = new AtomicInteger();
        IntConsumer pair = i -> {
            String fresh = "ryw-" + i + "-" + RUN;
            ingest(batch(fresh, List.of(hot), null)).then().statusCode(202);
            JsonPath answer = recommend(fresh);
            if (answer.getList("items.itemId", String.class).contains(hot)) {
                misses.incrementAndGet();
            }
            if (Boolean.TRUE.equals(answer.get("behind"))) {
                behind.incrementAndGet();
            }
        };
        for (int i = 0; i < 1000; i++) {
            pair.accept(i);
        }
        int sequentialMisses = misses.get();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 1000; i < 2000; i++) {
                int n = i;
                done.add(pool.submit(() -> pair.accept(n)));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        double written = checkpoints() - checkpointsBefore;
        System.out.printf("read-your-writes: %d of 1,000 sequential and %d of 1,000 parallel (16) answers missed the "
                + "event just acknowledged; %d marked behind; %.0f checkpoints written meanwhile%n", sequentialMisses,
                misses.get() - sequentialMisses, behind.get(), written);
        assertEquals(0, misses.get(), "answers that missed the event just acknowledged");
        assertTrue(written >= 5, "checkpoints were written while the pairs ran: " + written);
    }

    @Test
    @Order(2)
    void aBatchRetriedWithItsIdsAfterAnUnknownOutcomeIsAppliedOnceAcrossACrash() throws Exception {
        String user = "retry-" + RUN;
        List<String> items = List.of("r1", "r2", "r3", "r4", "r5");
        // A first batch, so that the functions' producer and its metadata are ready: the pause below then
        // catches a commit, not the producer's start.
        ingest(batch(user, List.of("r0"), null)).then().statusCode(202);
        caughtUp(user);
        double before = applied();

        Response unsure;
        signal("STOP");
        try {
            unsure = ingest(batch(user, items, null));
        } finally {
            signal("CONT");
        }
        assertEquals(503, unsure.statusCode(), unsure.asString());
        assertEquals("unknown", unsure.jsonPath().getString("outcome"), unsure.asString());
        List<String> ids = unsure.jsonPath().getList("eventIds", String.class);
        assertEquals(5, ids.size());

        // The client retries with the ids it was given until the batch is acknowledged.
        String retry = batch(user, items, ids);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> ingest(retry).statusCode() == 202);
        caughtUp(user);
        double landedTwice = duplicates() / 5;
        System.out.printf("retry after an unknown outcome: the first attempt %s%n",
                landedTwice >= 1 ? "had landed too (dropped as duplicates)" : "had not landed");
        assertEquals(before + 5, applied(), "each event of the batch applied once");

        // Sent again: every event is a duplicate.
        double duplicatesBefore = duplicates();
        ingest(retry).then().statusCode(202);
        caughtUp(user);
        assertEquals(duplicatesBefore + 5, duplicates());
        assertEquals(before + 5, applied());

        // A checkpoint after all that, one more retry, then a crash: the restarted worker has the ids from
        // the checkpoint and drops the retry whether it is in the checkpoint or replayed after it.
        CheckpointStore store = new CheckpointStore(BlobStores.open(checkpointStore, null), 3);
        double applied = applied();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> store.loadLatest()
                .map(c -> Double.parseDouble(c.manifest().metadata().get("events")) == applied).orElse(false));
        ingest(retry).then().statusCode(202);
        stack.killWorker();
        stack.startWorker();
        caughtUp(user);
        assertEquals(before + 5, applied(), "after the crash, still once");
        ingest(retry).then().statusCode(202);
        caughtUp(user);
        assertTrue(duplicates() >= 5, "the retry after the restart was recognised: " + duplicates());
        assertEquals(before + 5, applied(), "a retry after the restart is dropped");
    }

    /** Waits until a recommend for {@code user} comes back caught up (not behind, not unavailable). */
    static void caughtUp(String user) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> !Boolean.TRUE.equals(recommend(user).get("behind")));
    }

    /** Pauses or resumes the broker process. */
    static void signal(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(stack.brokerPid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + signal);
    }

    static String batch(String user, List<String> items, List<String> ids) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            events.add("{\"userId\":\"%s\",\"itemId\":\"%s\",\"type\":\"view\"%s}".formatted(user, items.get(i),
                    ids == null ? "" : ",\"eventId\":\"" + ids.get(i) + "\""));
        }
        return "[" + String.join(",", events) + "]";
    }

    static RequestSpecification api() {
        return given().baseUri(stack.functionsUrl()).contentType(ContentType.JSON);
    }

    static Response ingest(String body) {
        return api().body(body).post("/ingest");
    }

    static JsonPath recommend(String user) {
        return api().body("{\"userId\":\"%s\",\"k\":100}".formatted(user)).post("/recommend").then().statusCode(200)
                .extract().jsonPath();
    }

    static double applied() throws Exception {
        return MetricsScrape.of(stack.workerUrl()).value("worker_feedback_applied");
    }

    static double duplicates() throws Exception {
        return MetricsScrape.of(stack.workerUrl()).sumWhere("worker_feedback_events_total", "outcome=\"duplicate\"");
    }

    static double checkpoints() throws Exception {
        return MetricsScrape.of(stack.workerUrl()).value("worker_checkpoint_duration_seconds_count");
    }
}
