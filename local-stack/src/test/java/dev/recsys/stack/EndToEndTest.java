package dev.recsys.stack;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The whole path on real parts: HTTP into the functions, Kafka to the worker, and back. Broker, worker and
 * functions each run in their own process, from the packaged jars.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndTest {

    static LocalStack stack;
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void start() throws Exception {
        Path root = Path.of(System.getProperty("stack.root", "..")).toAbsolutePath().normalize();
        // Popularity ranks here, so that the expected order follows from counts alone; similar items still
        // come from the co-occurrence table, which the worker keeps whatever ranks.
        stack = LocalStack.start(root, Files.createTempDirectory("stack-e2e-"), LocalStack.Ports.free(),
                java.util.Map.of("worker.scorer", "popularity"));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    static RequestSpecification api() {
        return given().baseUri(stack.functionsUrl()).contentType(ContentType.JSON);
    }

    static String user(String name) {
        return name + "-" + RUN;
    }

    static void ingest(String user, String item, String type) {
        api().body("[{\"userId\":\"%s\",\"itemId\":\"%s\",\"type\":\"%s\"}]".formatted(user, item, type))
                .post("/ingest").then().statusCode(202).body("accepted", equalTo(1));
    }

    static List<String> recommend(String user, int k) {
        return api().body("{\"userId\":\"%s\",\"k\":%d}".formatted(user, k))
                .post("/recommend").then().statusCode(200)
                .extract().jsonPath().getList("items.itemId", String.class);
    }

    @Test
    @Order(1)
    void recommendationsReflectIngestedEventsAndExcludeSeenItems() {
        // Three items of falling popularity, from other users.
        api().body("""
                [{"userId":"%1$s","itemId":"top","type":"purchase"},
                 {"userId":"%2$s","itemId":"top","type":"purchase"},
                 {"userId":"%1$s","itemId":"mid","type":"click"},
                 {"userId":"%2$s","itemId":"mid","type":"click"},
                 {"userId":"%1$s","itemId":"low","type":"view"}]""".formatted(user("x"), user("y")))
                .post("/ingest").then().statusCode(202).body("accepted", equalTo(5));
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> recommend(user("alice"), 3).equals(List.of("top", "mid", "low")));

        ingest(user("alice"), "top", "view");
        // Alice's own event is in her history as soon as the worker has read it: top disappears for her.
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> recommend(user("alice"), 3).equals(List.of("mid", "low")));
        assertEquals(List.of("top", "mid", "low"), recommend(user("bob"), 3));
    }

    @Test
    @Order(2)
    void withoutAModelSimilarItemsComeFromTheCooccurrenceTable() {
        // x took top, mid, low in that order (test 1): mid is next to both; an unknown item is a 404.
        List<String> similar = api().body("{\"itemId\":\"mid\",\"k\":5}").post("/similar-items").then()
                .statusCode(200).body("modelVersion", org.hamcrest.Matchers.startsWith("cooccurrence@"))
                .extract().jsonPath().getList("items.itemId", String.class);
        assertEquals(java.util.Set.of("top", "low"), java.util.Set.copyOf(similar));
        api().body("{\"itemId\":\"never-seen-%s\"}".formatted(RUN)).post("/similar-items").then().statusCode(404)
                .body("violations[0].field", equalTo("itemId"));
    }

    @Test
    @Order(2)
    void excludeSeenFalseReturnsSeenItemsToo() {
        List<String> all = api().body("{\"userId\":\"%s\",\"k\":3,\"excludeSeen\":false}".formatted(user("alice")))
                .post("/recommend").then().statusCode(200)
                .body("modelVersion", org.hamcrest.Matchers.startsWith("popularity@"))
                .extract().jsonPath().getList("items.itemId", String.class);
        assertEquals(List.of("top", "mid", "low"), all);
    }

    @Test
    @Order(3)
    void undecodableRecordsOnAnyTopicStopNothing() throws Exception {
        try (var producer = new KafkaProducer<String, String>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            for (String topic : List.of("feedback", "score-requests", "score-replies")) {
                var junk = new ProducerRecord<String, String>(topic, "k", "{not json");
                junk.headers().add("REPLY_CORRELATION_ID", "junk".getBytes(StandardCharsets.UTF_8));
                producer.send(junk).get();
            }
        }
        ingest(user("carol"), "low", "view");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> recommend(user("carol"), 3).equals(List.of("top", "mid")));
    }

    @Test
    @Order(4)
    void aRestartedWorkerRebuildsHistoriesFromTheLog() throws Exception {
        stack.stopWorker();
        api().body("{\"userId\":\"%s\"}".formatted(user("alice"))).post("/recommend")
                .then().statusCode(504).body("error", equalTo("the worker did not answer in time"));
        // Ingest does not need the worker: the log keeps what is accepted while it is down.
        ingest(user("alice"), "mid", "click");
        stack.startWorker();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> recommend(user("alice"), 3).equals(List.of("low")));
        assertFalse(recommend(user("bob"), 3).isEmpty());
    }
}
