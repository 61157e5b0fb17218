package dev.recsys.stack;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;

import dev.recsys.core.checkpoint.CheckpointImageCodec;
import dev.recsys.stack.client.MetricsScrape;
import dev.recsys.store.BlobStores;
import dev.recsys.store.Checkpoint;
import dev.recsys.store.CheckpointStore;
import dev.recsys.store.S3Settings;
import dev.recsys.testsupport.LocalS3;

/**
 * Object storage goes away while the worker runs: checkpoints fail with a count in the metrics and are
 * retried with backoff, serving and consuming go on, and once storage is back the next checkpoint lands.
 */
class CheckpointOutageTest {

    @Test
    void servingGoesOnWhileStorageIsDownAndCheckpointsResumeAfter() throws Exception {
        Path root = Path.of(System.getProperty("stack.root", "..")).toAbsolutePath().normalize();
        Path run = Files.createTempDirectory("checkpoint-outage-");
        int port = LocalS3.freePort();
        LocalS3 s3 = LocalS3.start(run.resolve("s3"), port);
        try {
            s3.createBucket("recsys");
            Map<String, String> worker = Map.of(
                    "worker.checkpoint.store", "s3://recsys/worker",
                    "worker.checkpoint.s3.endpoint", s3.endpoint().toString(),
                    "worker.checkpoint.s3.path-style", "true",
                    "worker.checkpoint.s3.access-key", LocalS3.ACCESS_KEY,
                    "worker.checkpoint.s3.secret-key", LocalS3.SECRET_KEY,
                    "worker.checkpoint.s3.timeout", "PT2S",
                    "worker.checkpoint.interval", "PT1S",
                    "worker.checkpoint.backoff", "PT0.5S",
                    "worker.checkpoint.max-backoff", "PT2S");
            CheckpointStore store = new CheckpointStore(BlobStores.open("s3://recsys/worker", S3Settings.compatible(s3.endpoint(), LocalS3.ACCESS_KEY, LocalS3.SECRET_KEY)), 3);
            try (LocalStack stack = LocalStack.start(root, run.resolve("stack"), LocalStack.Ports.free(), worker)) {
                ingest(stack, "alice", "x");
                await().atMost(Duration.ofSeconds(30)).until(() -> store.latestId().isPresent());
                String before = store.latestId().orElseThrow();

                s3.close();
                ingest(stack, "alice", "y");
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                        .until(() -> MetricsScrape.of(stack.workerUrl()).value("worker_checkpoint_failures_total") >= 1);
                // Readiness stays UP and says what failed and since which checkpoint.
                var detail = given().baseUri(stack.workerUrl()).get("/q/health/ready").then().statusCode(200)
                        .extract().jsonPath();
                assertEquals(before, detail.getString("checks.find { it.name == 'checkpoints' }.data.lastWritten"));
                assertTrue(detail.getInt("checks.find { it.name == 'checkpoints' }.data.failedSinceLastWritten") >= 1);
                assertTrue(detail.getString("checks.find { it.name == 'checkpoints' }.data.lastFailure") != null);
                // Serving and consuming went on: the new event is in alice's history (seen, so excluded).
                List<String> forBob = recommend(stack, "bob");
                assertEquals(List.of("x", "y"), forBob.stream().sorted().toList());
                await().atMost(Duration.ofSeconds(10)).until(() -> recommend(stack, "alice").isEmpty());

                s3 = LocalS3.start(run.resolve("s3"), port);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                        .until(() -> store.latestId().map(id -> !id.equals(before)).orElse(false));
                await().atMost(Duration.ofSeconds(10)).until(() -> given().baseUri(stack.workerUrl())
                        .get("/q/health/ready").jsonPath()
                        .getInt("checks.find { it.name == 'checkpoints' }.data.failedSinceLastWritten") == 0);
                Checkpoint latest = store.loadLatest().orElseThrow();
                assertEquals(2, CheckpointImageCodec.decode(latest.blobs(), latest.manifest().metadata()).eventsApplied());
                assertTrue(Files.readString(run.resolve("stack/worker.log"))
                        .contains("checkpoint to s3://recsys/worker/ failed"), "the failure is logged with where it went");
            }
        } finally {
            s3.close();
        }
    }

    static void ingest(LocalStack stack, String user, String item) {
        given().baseUri(stack.functionsUrl()).contentType(ContentType.JSON)
                .body("[{\"userId\":\"%s\",\"itemId\":\"%s\",\"type\":\"click\"}]".formatted(user, item))
                .post("/ingest").then().statusCode(202);
    }

    static List<String> recommend(LocalStack stack, String user) {
        return given().baseUri(stack.functionsUrl()).contentType(ContentType.JSON)
                .body("{\"userId\":\"%s\",\"k\":5}".formatted(user)).post("/recommend").then().statusCode(200)
                .extract().jsonPath().getList("items.itemId", String.class);
    }
}
