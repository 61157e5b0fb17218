package dev.recsys.stack;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import dev.recsys.stack.client.MetricsScrape;
import dev.recsys.stack.importer.ItemsCsv;
import dev.recsys.stack.importer.ItemsImport;

/**
 * The catalogue and the ranking functions on real parts: items imported over HTTP, published to Kafka, read
 * by a worker serving a SASRec model (trained online), answers back through the functions.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CatalogueEndToEndTest {

    static final int ITEMS = 20;
    static final String HIDDEN = "item-5";
    static final Set<String> RARE = Set.of("item-7", "item-11");
    static LocalStack stack;
    static final List<String> USERS = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path root = Path.of(System.getProperty("stack.root", "..")).toAbsolutePath().normalize();
        Path run = Files.createTempDirectory("stack-catalogue-");
        Path model = TinyModel.save(run.resolve("model"), ITEMS);
        stack = LocalStack.start(root, run.resolve("stack"), LocalStack.Ports.free(), Map.of(
                "worker.model.path", model.toString(),
                "worker.model.cache-dir", root.resolve("target/djl-cache").toString(),
                "worker.training.enabled", "true"));

        StringBuilder csv = new StringBuilder("movieId,title,genres,hidden\n");
        for (int i = 0; i < ITEMS; i++) {
            String id = "item-" + i;
            String genres = "c" + (i % 4) + (RARE.contains(id) ? "|rare" : "");
            csv.append(id).append(",\"Title, with a comma ").append(i).append("\",").append(genres).append(',')
                    .append(id.equals(HIDDEN)).append('\n');
        }
        List<ItemsCsv.Item> items = ItemsCsv.read(new BufferedReader(new StringReader(csv.toString())));
        assertEquals(ITEMS, new ItemsImport(URI.create(stack.functionsUrl()), null).send(items, 7));

        // The hidden item is the most popular one: without the catalogue it would top every list.
        Random random = new Random(7);
        StringBuilder events = new StringBuilder("[");
        for (int u = 0; u < 12; u++) {
            String user = "user-" + u;
            USERS.add(user);
            List<String> seen = new ArrayList<>(List.of(HIDDEN));
            for (int e = 0; e < 4; e++) {
                seen.add("item-" + random.nextInt(ITEMS));
            }
            for (String item : seen) {
                events.append(events.length() > 1 ? "," : "")
                        .append("{\"userId\":\"%s\",\"itemId\":\"%s\",\"type\":\"view\"}".formatted(user, item));
            }
        }
        api().body(events.append(']').toString()).post("/ingest").then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> metric("worker_catalogue_items") == ITEMS
                && metric("worker_feedback_applied") >= 12 * 5);
        // These tests are about what answers hold, so they start once the model answers. (A first call that got a
        // 504 here turned out to race the functions' reply consumer joining its group; their readiness now waits
        // for it, RepliesReadiness.)
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> api().body("{\"userId\":\"user-0\",\"k\":1}").post("/recommend").statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    static io.restassured.specification.RequestSpecification api() {
        return given().baseUri(stack.functionsUrl()).contentType(ContentType.JSON);
    }

    static double metric(String series) throws Exception {
        return MetricsScrape.of(stack.workerUrl()).value(series);
    }

    static JsonPath post(String path, String body) {
        return api().body(body).post(path).then().statusCode(200).extract().jsonPath();
    }

    static List<String> ids(JsonPath reply) {
        return reply.getList("items.itemId", String.class);
    }

    @Test
    @Order(1)
    void aHiddenItemNeverAppearsInAnyAnswer() {
        for (String user : USERS) {
            List<String> all = ids(post("/recommend", "{\"userId\":\"%s\",\"k\":20,\"excludeSeen\":false}".formatted(user)));
            assertEquals(ITEMS - 1, all.size(), all.toString());
            assertFalse(all.contains(HIDDEN), user + ": " + all);
        }
        JsonPath cold = post("/recommend", "{\"userId\":\"nobody-yet\",\"k\":20}");
        assertTrue(cold.getBoolean("coldStart"));
        assertTrue(cold.getString("modelVersion").startsWith("popularity@"));
        assertFalse(ids(cold).contains(HIDDEN));
        assertFalse(ids(post("/recommend-session", "{\"items\":[\"item-1\",\"item-2\"],\"k\":20}")).contains(HIDDEN));
        List<String> similar = ids(post("/similar-items", "{\"itemId\":\"item-0\",\"k\":20}"));
        assertFalse(similar.contains(HIDDEN) || similar.contains("item-0"), similar.toString());
        assertEquals(ITEMS - 2, similar.size());
    }

    @Test
    @Order(2)
    void aCategoryFilterReturnsOnlyThatCategoryAndSaysHowMany() {
        for (String user : USERS) {
            JsonPath reply = post("/recommend",
                    "{\"userId\":\"%s\",\"k\":10,\"excludeSeen\":false,\"categories\":[\"rare\"]}".formatted(user));
            assertEquals(RARE, Set.copyOf(ids(reply)));
            assertEquals(2, reply.getInt("count"));
            JsonPath c1 = post("/recommend", "{\"userId\":\"%s\",\"k\":3,\"categories\":[\"c1\"],\"excludeItems\":[\"item-1\"]}"
                    .formatted(user));
            for (String item : ids(c1)) {
                int i = Integer.parseInt(item.substring(5));
                assertEquals(1, i % 4, item + " is not in c1");
                assertFalse(item.equals("item-1") || item.equals(HIDDEN));
            }
        }
    }

    @Test
    @Order(3)
    void rerankReturnsExactlyTheCandidatesGiven() {
        Random random = new Random(3);
        for (String user : USERS) {
            List<String> candidates = new ArrayList<>();
            for (int i = 0; i < ITEMS; i++) {
                if (!("item-" + i).equals(HIDDEN)) {
                    candidates.add("item-" + i);
                }
            }
            Collections.shuffle(candidates, random);
            candidates = new ArrayList<>(candidates.subList(0, 8));
            candidates.add(3, "never-heard-of");
            String body = "{\"userId\":\"%s\",\"candidates\":[\"%s\"]}".formatted(user, String.join("\",\"", candidates));
            JsonPath reply = post("/rerank", body);
            List<String> ordered = ids(reply);
            assertEquals(candidates.size(), ordered.size());
            assertEquals(new HashSet<>(candidates), new HashSet<>(ordered));
            assertEquals("never-heard-of", ordered.get(ordered.size() - 1));
            assertTrue(reply.getBoolean("items[-1].unknown"));
            List<Float> scores = reply.getList("items.score", Float.class).subList(0, ordered.size() - 1);
            for (int i = 1; i < scores.size(); i++) {
                assertTrue(scores.get(i - 1) >= scores.get(i), scores.toString());
            }
        }
        JsonPath withHidden = post("/rerank", "{\"userId\":\"user-0\",\"candidates\":[\"item-1\",\"%s\"]}".formatted(HIDDEN));
        assertEquals(List.of("item-1"), ids(withHidden));
        assertEquals(List.of(HIDDEN), withHidden.getList("hiddenCandidates", String.class));
    }

    @Test
    @Order(4)
    void aSessionLeavesNoTraceInAnyHistory() throws Exception {
        double users = metric("worker_users");
        double applied = metric("worker_feedback_applied");
        List<String> before = ids(post("/recommend", "{\"userId\":\"user-0\",\"k\":20,\"excludeSeen\":true}"));
        for (int i = 0; i < 20; i++) {
            List<String> session = ids(post("/recommend-session",
                    "{\"items\":[\"item-%d\",\"item-%d\"],\"k\":5}".formatted(i % ITEMS, (i + 3) % ITEMS)));
            assertFalse(session.contains("item-" + (i % ITEMS)), "the session's own items are not returned");
        }
        assertEquals(users, metric("worker_users"));
        assertEquals(applied, metric("worker_feedback_applied"));
        // user-0's seen items are what they were: nothing the sessions named joined them.
        List<String> after = ids(post("/recommend", "{\"userId\":\"user-0\",\"k\":20,\"excludeSeen\":true}"));
        assertEquals(new HashSet<>(before), new HashSet<>(after));
    }

    @Test
    @Order(5)
    void aRestartedWorkerRebuildsTheCatalogueBeforeItServes() throws Exception {
        stack.stopWorker();
        stack.startWorker(); // returns once ready, and ready waits for the catalogue
        assertEquals(ITEMS, metric("worker_catalogue_items"));
        assertFalse(ids(post("/recommend", "{\"userId\":\"user-1\",\"k\":20,\"excludeSeen\":false}")).contains(HIDDEN));
        api().body("{\"itemId\":\"never-heard-of\"}").post("/similar-items").then().statusCode(404)
                .body("violations[0].field", org.hamcrest.Matchers.equalTo("itemId"));
    }
}
