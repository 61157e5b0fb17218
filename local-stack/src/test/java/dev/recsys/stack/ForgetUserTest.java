package dev.recsys.stack;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

import dev.recsys.store.BlobStores;
import dev.recsys.store.CheckpointStore;

/**
 * {@code POST /forget-user} through the real stack, with the worker checkpointing every second: the user's
 * answers are a cold start at once, no checkpoint left in the store holds their id, a forget cannot be dated
 * ahead to hide the events that follow it (the log's order decides: every event acknowledged after its 202
 * is applied), and a worker killed and restarted holds exactly what came after the forget.
 */
class ForgetUserTest {

    static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aForgottenUserStaysForgottenInAnswersCheckpointsAndAfterACrash() throws Exception {
        Path root = Path.of(System.getProperty("stack.root", "..")).toAbsolutePath().normalize();
        Path run = Files.createTempDirectory("forget-");
        String checkpoints = run.resolve("checkpoints").toUri().toString();
        try (LocalStack stack = LocalStack.start(root, run.resolve("stack"), LocalStack.Ports.free(), Map.of(
                "worker.checkpoint.store", checkpoints,
                "worker.checkpoint.interval", "PT1S"))) {
            String forgotten = "forget-me-" + RUN;
            String other = "keep-me-" + RUN;
            long before = System.currentTimeMillis() - 60_000;
            ingest(stack, "[" + String.join(",",
                    event(forgotten, "a", before), event(forgotten, "b", before + 1), event(forgotten, "c", before + 2),
                    event(other, "a", before), event(other, "b", before + 1), event(other, "d", before + 2)) + "]");
            // Known from the co-occurrence table, which ranks without a model: not a cold start.
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !recommend(stack, forgotten).getBoolean("coldStart"));
            CheckpointStore store = new CheckpointStore(BlobStores.open(checkpoints, null), 3);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> holds(store, forgotten));

            api(stack).body("{\"userId\":\"%s\"}".formatted(forgotten)).post("/forget-user").then().statusCode(202)
                    .body("userId", equalTo(forgotten));
            // At once: a cold start, and the items they took are no longer "seen".
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> recommend(stack, forgotten).getBoolean("coldStart"));
            assertTrue(recommend(stack, forgotten).getList("items.itemId").contains("a"));
            assertFalse(recommend(stack, other).getBoolean("coldStart"), "the other user is untouched");

            // A checkpoint without them comes at once, and every older one goes.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !store.ids().isEmpty() && store.ids().stream().noneMatch(id -> holdsIn(store, id, forgotten)));
            assertTrue(holds(store, other), "the other user is still in the checkpoint");
            // The worker logs the removal after it is done, so the line may trail the store by a moment.
            await("older checkpoints removed").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Files.readString(run.resolve("stack/worker.log"))
                            .contains("users were forgotten: removed the"));

            // A forget dated a day ahead would have hidden every event of the user until then: refused.
            api(stack).body("{\"userId\":\"%s\",\"requestedAt\":%d}".formatted(other,
                    System.currentTimeMillis() + Duration.ofHours(23).toMillis())).post("/forget-user").then()
                    .statusCode(400).body("violations[0].field", equalTo("requestedAt"));
            assertFalse(recommend(stack, other).getBoolean("coldStart"), "a refused forget changes nothing");

            // Acknowledged after the forget's 202, an event is applied, even one stamped before the request.
            ingest(stack, "[" + event(forgotten, "c", before + 3) + "]");
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> !recommend(stack, forgotten).getBoolean("coldStart"));
            assertFalse(recommend(stack, forgotten).getList("items.itemId").contains("c"), "c is theirs again");
            assertTrue(recommend(stack, forgotten).getList("items.itemId").contains("a"), "a stays forgotten");

            // Killed and restarted from its checkpoint (replaying the log after it): the same, not more.
            stack.killWorker();
            stack.startWorker();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> !recommend(stack, other).getBoolean("coldStart"));
            assertFalse(recommend(stack, forgotten).getBoolean("coldStart"), "what came after the forget stays");
            assertFalse(recommend(stack, forgotten).getList("items.itemId").contains("c"));
            assertTrue(recommend(stack, forgotten).getList("items.itemId").contains("a"), "forgotten after a crash too");

            // Something new from them adds to the new history.
            ingest(stack, "[" + event(forgotten, "d", System.currentTimeMillis()) + "]");
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> !recommend(stack, forgotten).getList("items.itemId").contains("d"));

            api(stack).body("{}").post("/forget-user").then().statusCode(400)
                    .body("violations[0].field", equalTo("userId"));
        }
    }

    static RequestSpecification api(LocalStack stack) {
        return given().baseUri(stack.functionsUrl()).contentType(ContentType.JSON);
    }

    static String event(String user, String item, long at) {
        return "{\"userId\":\"%s\",\"itemId\":\"%s\",\"type\":\"view\",\"timestamp\":%d}".formatted(user, item, at);
    }

    static void ingest(LocalStack stack, String body) {
        api(stack).body(body).post("/ingest").then().statusCode(202);
    }

    static JsonPath recommend(LocalStack stack, String user) {
        return api(stack).body("{\"userId\":\"%s\",\"k\":10}".formatted(user)).post("/recommend").then()
                .statusCode(200).extract().jsonPath();
    }

    /** Whether the latest checkpoint holds the id anywhere in its blobs. */
    static boolean holds(CheckpointStore store, String id) {
        return store.latestId().map(latest -> holdsIn(store, latest, id)).orElse(false);
    }

    /** Whether any blob of checkpoint {@code checkpoint} holds {@code id}'s bytes (ids are stored as UTF-8). */
    static boolean holdsIn(CheckpointStore store, String checkpoint, String id) {
        byte[] needle = id.getBytes(StandardCharsets.UTF_8);
        for (String key : store.blobs().list("checkpoints/" + checkpoint + "/")) {
            byte[] data = store.blobs().get(key).orElseThrow().data();
            if (indexOf(data, needle) >= 0) {
                return true;
            }
        }
        return false;
    }

    static int indexOf(byte[] data, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= data.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
