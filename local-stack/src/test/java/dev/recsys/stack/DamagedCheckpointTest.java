package dev.recsys.stack;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import dev.recsys.kafka.LocalKafka;
import dev.recsys.store.BlobStore;
import dev.recsys.store.BlobStores;
import dev.recsys.store.CheckpointStore;
import dev.recsys.store.S3Settings;
import dev.recsys.testsupport.LocalS3;

/**
 * A restart that cannot be wedged by the checkpoint store: with the newest checkpoint's {@code latest} pointer
 * emptied (once: "not a valid blob key: 'checkpoints//manifest.json'" and no start), its manifest garbled,
 * a blob damaged, or a blob that verifies but does not decode, the worker starts from the newest checkpoint
 * that reads back, says which it skipped and why, and answers as before. With none left intact it refuses to
 * start fresh over them unless told to.
 */
class DamagedCheckpointTest {

    static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aWorkerRestartsFromTheNewestCheckpointThatReadsBackFromFiles() throws Exception {
        Path root = Path.of(System.getProperty("stack.root", "..")).toAbsolutePath().normalize();
        Path run = Files.createTempDirectory("damaged-");
        Path store = run.resolve("checkpoints");
        restartsFromTheNewestIntact(root, run, Map.of("worker.checkpoint.store", store.toUri().toString()),
                BlobStores.open(store.toUri().toString(), S3Settings.aws("us-east-1")), "file");
    }

    @Test
    void aWorkerRestartsFromTheNewestCheckpointThatReadsBackFromS3() throws Exception {
        Path root = Path.of(System.getProperty("stack.root", "..")).toAbsolutePath().normalize();
        Path run = Files.createTempDirectory("damaged-s3-");
        LocalS3 s3 = LocalS3.start(run.resolve("s3"), LocalS3.freePort());
        try {
            s3.createBucket("recsys");
            restartsFromTheNewestIntact(root, run, Map.of(
                    "worker.checkpoint.store", "s3://recsys/worker",
                    "worker.checkpoint.s3.endpoint", s3.endpoint().toString(),
                    "worker.checkpoint.s3.path-style", "true",
                    "worker.checkpoint.s3.access-key", LocalS3.ACCESS_KEY,
                    "worker.checkpoint.s3.secret-key", LocalS3.SECRET_KEY),
                    BlobStores.open("s3://recsys/worker", S3Settings.compatible(s3.endpoint(), LocalS3.ACCESS_KEY, LocalS3.SECRET_KEY)), "s3");
        } finally {
            s3.close();
        }
    }

    static void restartsFromTheNewestIntact(Path root, Path run, Map<String, String> store, BlobStore blobs,
            String kind) throws Exception {
        Map<String, String> worker = new java.util.HashMap<>(store);
        worker.put("worker.checkpoint.interval", "PT1S");
        worker.put("worker.checkpoint.retain", "10");
        try (LocalStack stack = LocalStack.start(root, run.resolve("stack"), LocalStack.Ports.free(), worker)) {
            String user = "u-" + kind + "-" + RUN;
            CheckpointStore checkpoints = new CheckpointStore(blobs, 10);
            // One checkpoint per event, so the damaged newest and the intact one before it differ.
            for (String item : List.of("a", "b", "c", "d")) {
                int before = checkpoints.ids().size();
                ingest(stack, user, item);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> checkpoints.ids().size() > before);
            }
            stack.stopWorker(); // the shutdown checkpoint holds all four
            Path log = run.resolve("stack/worker.log");

            // 1. The pointer emptied: the newest checkpoint, found by listing.
            blobs.put("latest", new byte[0]);
            restart(stack);
            assertTrue(Files.readString(log).contains("names no checkpoint there"), "says the pointer was ignored");
            assertSeen(stack, user, List.of("a", "b", "c", "d"));

            // 2. Its manifest garbled, then 3. a blob damaged, then 4. a blob that verifies but does not decode:
            // each time the worker goes back one checkpoint, and the log replayed after it brings back the rest.
            String newest = intactNewest(checkpoints);
            blobs.put("checkpoints/" + newest + "/manifest.json", "{not json".getBytes(StandardCharsets.UTF_8));
            restart(stack);
            assertTrue(Files.readString(log).contains("checkpoint " + newest), "names the one skipped");
            assertTrue(Files.readString(log).contains("manifest is not readable JSON"), "and why");
            assertSeen(stack, user, List.of("a", "b", "c", "d"));

            // The histories are split by feedback partition: the part that holds this user's.
            String part = "histories.p" + ShardHealth.partitionOf(user, LocalKafka.TOPICS.get("feedback")) + ".bin";
            newest = intactNewest(checkpoints);
            byte[] histories = blobs.get("checkpoints/" + newest + "/" + part).orElseThrow().data();
            histories[histories.length / 2] ^= 0x55;
            blobs.put("checkpoints/" + newest + "/" + part, histories);
            restart(stack);
            assertTrue(Files.readString(log).contains("does not match its manifest"), "a blob that fails its hash");
            assertSeen(stack, user, List.of("a", "b", "c", "d"));

            newest = intactNewest(checkpoints);
            rewriteVerified(blobs, newest, part, new byte[] { 0, 0, 0, 9, 1, 2 });
            restart(stack);
            assertTrue(Files.readString(log).contains("does not decode"), "a blob that verifies but does not decode");
            assertSeen(stack, user, List.of("a", "b", "c", "d"));

            // None intact: the start fails and says why, until an operator says a fresh start is wanted.
            stack.stopWorker();
            for (String id : checkpoints.ids()) {
                blobs.put("checkpoints/" + id + "/manifest.json", "{not json".getBytes(StandardCharsets.UTF_8));
            }
            assertThrows(IllegalStateException.class, stack::startWorker);
            assertTrue(Files.readString(log).contains("start-fresh-over-damaged"), "the start says how to go on");
            stack.startWorker(Map.of("worker.checkpoint.start-fresh-over-damaged", "true"));
            assertSeen(stack, user, List.of("a", "b", "c", "d")); // the whole log replayed
        }
    }

    /** Replaces one blob with bytes its manifest then vouches for: intact to the store, refused by the codec. */
    static void rewriteVerified(BlobStore blobs, String id, String blob, byte[] data) throws Exception {
        String manifest = new String(blobs.get("checkpoints/" + id + "/manifest.json").orElseThrow().data(),
                StandardCharsets.UTF_8);
        byte[] old = blobs.get("checkpoints/" + id + "/" + blob).orElseThrow().data();
        String edited = manifest.replace(sha256(old), sha256(data))
                .replaceFirst("(\"name\"\\s*:\\s*\"" + blob.replace(".", "\\.") + "\"\\s*,\\s*\"size\"\\s*:\\s*)\\d+",
                        "$1" + data.length);
        assertTrue(!edited.equals(manifest), "the manifest names the blob");
        blobs.put("checkpoints/" + id + "/" + blob, data);
        blobs.put("checkpoints/" + id + "/manifest.json", edited.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] data) throws java.security.NoSuchAlgorithmException {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
    }

    /** The checkpoint a restart would read now: the newest that reads back (the one to damage next). */
    static String intactNewest(CheckpointStore checkpoints) {
        return checkpoints.loadLatest().orElseThrow().manifest().id();
    }

    static void restart(LocalStack stack) throws Exception {
        stack.killWorker(); // no shutdown checkpoint: the damaged one stays the newest
        stack.startWorker();
    }

    static void ingest(LocalStack stack, String user, String item) {
        given().baseUri(stack.functionsUrl()).contentType(ContentType.JSON)
                .body("[{\"userId\":\"%s\",\"itemId\":\"%s\",\"type\":\"purchase\"}]".formatted(user, item))
                .post("/ingest").then().statusCode(202);
    }

    /** The user's answer without seen items excludes exactly {@code seen}: their history is back. */
    static void assertSeen(LocalStack stack, String user, List<String> seen) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            JsonPath all = recommend(stack, user, false);
            JsonPath unseen = recommend(stack, user, true);
            List<String> everything = all.getList("items.itemId");
            List<String> left = unseen.getList("items.itemId");
            return !all.getBoolean("coldStart") && everything.containsAll(seen)
                    && left.stream().noneMatch(seen::contains);
        });
        assertEquals(false, recommend(stack, user, true).getBoolean("coldStart"));
    }

    static JsonPath recommend(LocalStack stack, String user, boolean excludeSeen) {
        return given().baseUri(stack.functionsUrl()).contentType(ContentType.JSON)
                .body("{\"userId\":\"%s\",\"k\":10,\"excludeSeen\":%s}".formatted(user, excludeSeen))
                .post("/recommend").then().statusCode(200).extract().jsonPath();
    }
}
