package dev.recsys.functions;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.recsys.testsupport.KafkaTestResource;
import dev.recsys.wire.FeedbackEvent;
import dev.recsys.wire.FeedbackType;
import dev.recsys.wire.ItemUpdate;
import dev.recsys.wire.ScoreReply;
import dev.recsys.wire.ScoreRequest;
import dev.recsys.wire.ScoredItem;

/** The functions against a real broker (and no worker). */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class FunctionsKafkaTest {

    final ObjectMapper json = new ObjectMapper();

    @Test
    void validBatchIsPublishedKeyedByUserBeforeTheAnswer() throws Exception {
        String user = "u-" + UUID.randomUUID();
        List<String> returnedIds = given().contentType(ContentType.JSON).body("""
                [{"eventId":"a","userId":"%1$s","itemId":"i1","type":"view","timestamp":1000},
                 {"eventId":"b","userId":"%1$s","itemId":"i2","type":"rating","value":5},
                 {"userId":"%1$s","itemId":"i3","type":"purchase"}]""".formatted(user))
                .when().post("/ingest")
                .then().statusCode(202)
                .body("accepted", equalTo(3))
                .extract().jsonPath().getList("eventIds", String.class);

        // Answered only after the commit: the events are readable at once, no polling for them to appear.
        List<ConsumerRecord<String, String>> mine = readFeedback().stream()
                .filter(r -> user.equals(r.key())).toList();
        assertEquals(3, mine.size());
        List<FeedbackEvent> events = new ArrayList<>();
        for (var r : mine) {
            events.add(json.readValue(r.value(), FeedbackEvent.class));
        }
        assertEquals(new FeedbackEvent("a", user, "i1", FeedbackType.VIEW, null, 1000), events.get(0));
        assertEquals(5.0, events.get(1).value());
        assertEquals(FeedbackType.PURCHASE, events.get(2).type());
        assertFalse(events.get(2).eventId().isBlank());
        // The made-up id comes back, so that a client can retry the batch without double counting.
        assertEquals(events.stream().map(FeedbackEvent::eventId).toList(), returnedIds);
    }

    @Test
    void nothingOfARejectedBatchIsPublished() throws Exception {
        String user = "u-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body("""
                [{"userId":"%1$s","itemId":"good","type":"view"},
                 {"userId":"%1$s","itemId":"bad","type":"meh"}]""".formatted(user))
                .when().post("/ingest")
                .then().statusCode(400)
                .body("violations[0].index", equalTo(1));
        // A later good batch for the same user: once it is in, the rejected one would be before it.
        given().contentType(ContentType.JSON).body("""
                [{"userId":"%1$s","itemId":"marker","type":"view"}]""".formatted(user))
                .when().post("/ingest")
                .then().statusCode(202);
        List<String> items = new ArrayList<>();
        for (var r : readFeedback()) {
            if (user.equals(r.key())) {
                items.add(json.readValue(r.value(), FeedbackEvent.class).itemId());
            }
        }
        assertEquals(List.of("marker"), items);
    }

    @Test
    void concurrentBatchesAreAllPublishedExactlyOnce() throws Exception {
        String user = "u-" + UUID.randomUUID();
        int batches = 20;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
                String body = "[{\"userId\":\"%s\",\"itemId\":\"i%d-0\",\"type\":\"view\"},"
                        .formatted(user, b) + "{\"userId\":\"%s\",\"itemId\":\"i%d-1\",\"type\":\"click\"}]"
                                .formatted(user, b);
                calls.add(pool.submit(() -> given().contentType(ContentType.JSON).body(body)
                        .post("/ingest").then().statusCode(202)));
            }
            for (Future<?> call : calls) {
                call.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long count = readFeedback().stream().filter(r -> user.equals(r.key())).count();
        assertEquals(2L * batches, count);
    }

    @Test
    void recommendWithNoWorkerIs504() {
        given().contentType(ContentType.JSON).body("{\"userId\":\"nobody\",\"k\":3}")
                .when().post("/recommend")
                .then().statusCode(504)
                .time(lessThan(10L), TimeUnit.SECONDS)
                .body("error", containsString("did not answer in time"));
    }

    @Test
    void itemsArePublishedKeyedByItemToTheCompactedCatalogueTopic() throws Exception {
        String item = "m-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body("""
                [{"itemId":"%s","categories":["drama","war"],"hidden":true,"timestamp":1000},
                 {"itemId":"%<s-2"}]""".formatted(item))
                .when().post("/items")
                .then().statusCode(202)
                .body("accepted", equalTo(2));
        List<ItemUpdate> mine = new ArrayList<>();
        for (var r : read("items")) {
            if (r.key().startsWith(item)) {
                mine.add(json.readValue(r.value(), ItemUpdate.class));
            }
        }
        assertEquals(new ItemUpdate(item, List.of("drama", "war"), true, 1000), mine.get(0));
        assertEquals(List.of(), mine.get(1).categories());
        assertFalse(mine.get(1).hidden());
        assertEquals(2, mine.size());
    }

    @Test
    void eachRankingFunctionSendsItsRequestAndReturnsTheWorkersAnswer() throws Exception {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        try (StandInWorker worker = new StandInWorker(bootstrap, r -> switch (r.kind()) {
            case SIMILAR -> r.itemId().equals("missing")
                    ? ScoreReply.failed(new ScoreReply.Error(ScoreReply.Error.NOT_FOUND, "itemId", "no embedding"))
                    : new ScoreReply(List.of(new ScoredItem("near", 0.9)), "sasrec@t");
            case RERANK -> new ScoreReply(List.of(new ScoredItem(r.items().get(1), 2.0),
                    ScoredItem.unknown(r.items().get(0))), "sasrec@t", 0, false, List.of(), null);
            default -> new ScoreReply(List.of(new ScoredItem("x", 1.0)), "popularity@3", 0, true, null, null);
        })) {
            given().contentType(ContentType.JSON)
                    .body("{\"userId\":\"u\",\"k\":3,\"categories\":[\"drama\"],\"excludeItems\":[\"a\"]}")
                    .post("/recommend").then().statusCode(200)
                    .body("items[0].itemId", equalTo("x"))
                    .body("count", equalTo(1))
                    .body("coldStart", equalTo(true));
            given().contentType(ContentType.JSON).body("{\"items\":[\"a\",\"b\"],\"excludeSeen\":false}")
                    .post("/recommend-session").then().statusCode(200).body("modelVersion", equalTo("popularity@3"));
            given().contentType(ContentType.JSON).body("{\"userId\":\"u\",\"candidates\":[\"c1\",\"c2\"]}")
                    .post("/rerank").then().statusCode(200)
                    .body("items.itemId", equalTo(List.of("c2", "c1")))
                    .body("items[1].unknown", equalTo(true))
                    .body("items[1].score", org.hamcrest.Matchers.nullValue())
                    .body("hiddenCandidates", equalTo(List.of()));
            given().contentType(ContentType.JSON).body("{\"itemId\":\"m1\",\"k\":5}")
                    .post("/similar-items").then().statusCode(200).body("items[0].itemId", equalTo("near"));
            given().contentType(ContentType.JSON).body("{\"itemId\":\"missing\"}")
                    .post("/similar-items").then().statusCode(404)
                    .body("violations[0].field", equalTo("itemId"))
                    .body("error", equalTo("no embedding"));

            List<ScoreRequest> sent = worker.received;
            assertEquals(ScoreRequest.forUser("u", 3, true, List.of("drama"), List.of("a")), sent.get(0));
            assertEquals(ScoreRequest.forSession(List.of("a", "b"), 10, false, List.of(), List.of()), sent.get(1));
            assertEquals(ScoreRequest.rerank("u", List.of("c1", "c2")), sent.get(2));
            assertEquals(ScoreRequest.similarTo("m1", 5, List.of(), List.of()), sent.get(3));
            // A user's requests are keyed like their feedback, so they reach the shard holding the history.
            assertEquals(List.of("u", "", "u", ""), worker.keys.subList(0, 4));
        }
    }

    /** Everything committed on {@code feedback} so far. */
    static List<ConsumerRecord<String, String>> readFeedback() {
        return read("feedback");
    }

    /** Everything committed on {@code topic} so far. */
    static List<ConsumerRecord<String, String>> read(String topic) {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> out = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertTrue(System.nanoTime() < deadline, "could not read " + topic + " to its end");
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }
}
