package dev.recsys.stack;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import dev.recsys.stack.client.MetricsScrape;

/**
 * Another producer opens a transaction on {@code feedback} and leaves it open: read_committed readers cannot
 * read past it on that partition. Ingest must not answer 202 for an event nobody can read, the worker's
 * readiness and metric must show the held partition within the bound, and once the transaction ends every
 * committed event is applied.
 */
class HeldLogTest {

    @Test
    void aPartitionHeldByAnOpenTransactionGetsNo202AndShowsInReadinessAndMetrics() throws Exception {
        Path root = Path.of(System.getProperty("stack.root", "..")).toAbsolutePath().normalize();
        Path run = Files.createTempDirectory("held-log-");
        try (LocalStack stack = LocalStack.start(root, run, LocalStack.Ports.free(),
                Map.of("worker.feedback-stall-bound", "PT3S"))) {
            ingest(stack, "warm-up", "m0").then().statusCode(202);
            int partitions;
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
                partitions = admin.describeTopics(List.of("feedback")).allTopicNames().get().get("feedback")
                        .partitions().size();
            }
            String held = userOn(0, partitions, "held-");
            String free = userOn(1 % partitions, partitions, "free-");
            try (KafkaProducer<String, String> other = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "someone-else",
                    ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 600_000), new StringSerializer(), new StringSerializer())) {
                other.initTransactions();
                other.beginTransaction();
                other.send(new ProducerRecord<>("feedback", held,
                        "{\"eventId\":\"x\",\"userId\":\"" + held + "\",\"itemId\":\"m9\",\"type\":\"click\"}")).get();

                // Committed behind the open transaction: not readable, so no 202.
                JsonPath first = ingest(stack, held, "m1").then().statusCode(503).extract().jsonPath();
                assertEquals("committed-not-readable", first.getString("outcome"), first.prettify());
                assertEquals(1, first.getList("eventIds").size());
                // While it stays held, later batches for it are refused before they are sent.
                JsonPath second = ingest(stack, held, "m2").then().statusCode(503).extract().jsonPath();
                assertEquals("not-published", second.getString("outcome"), second.prettify());
                // Other partitions are not held.
                ingest(stack, free, "m3").then().statusCode(202);

                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                    JsonPath ready = given().baseUri(stack.workerUrl()).get("/q/health/ready").then().statusCode(503)
                            .extract().jsonPath();
                    assertEquals("DOWN", ready.getString("checks.find { it.name == 'feedback-log' }.status"));
                    assertTrue(ready.getString("checks.find { it.name == 'feedback-log' }.data.partition-0")
                            .startsWith("held by an open transaction"));
                    assertEquals(1.0, MetricsScrape.of(stack.workerUrl()).value("worker_feedback_stalled_partitions"));
                });
                assertFalse(items(stack, "stranger", false).contains("m1"), "the committed event is not readable yet");

                other.abortTransaction();
            }
            // The log moves again: the committed event is applied, readiness recovers, ingest answers 202.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() ->
                    items(stack, "stranger", false).contains("m1") && !items(stack, held, true).contains("m1"));
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() ->
                    given().baseUri(stack.workerUrl()).get("/q/health/ready").statusCode() == 200);
            assertEquals(0.0, MetricsScrape.of(stack.workerUrl()).value("worker_feedback_stalled_partitions"));
            ingest(stack, held, "m2").then().statusCode(202);
            assertFalse(items(stack, "stranger", false).contains("m9"), "the aborted record is not applied");
        }
    }

    /** A user id whose records the producer's default partitioner sends to {@code partition}. */
    static String userOn(int partition, int partitions, String prefix) {
        for (int i = 0;; i++) {
            String user = prefix + i;
            if (Utils.toPositive(Utils.murmur2(user.getBytes(StandardCharsets.UTF_8))) % partitions == partition) {
                return user;
            }
        }
    }

    static Response ingest(LocalStack stack, String user, String item) {
        return given().baseUri(stack.functionsUrl()).contentType(ContentType.JSON)
                .body("[{\"userId\":\"%s\",\"itemId\":\"%s\",\"type\":\"purchase\"}]".formatted(user, item))
                .post("/ingest");
    }

    /** The items recommended to the user: popular ones for a stranger, so an item applied shows there. */
    static List<String> items(LocalStack stack, String user, boolean excludeSeen) {
        return given().baseUri(stack.functionsUrl()).contentType(ContentType.JSON)
                .body("{\"userId\":\"%s\",\"k\":10,\"excludeSeen\":%s}".formatted(user, excludeSeen))
                .post("/recommend").then().statusCode(200).extract().jsonPath().getList("items.itemId");
    }
}
