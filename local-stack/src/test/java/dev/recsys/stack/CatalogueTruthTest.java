package dev.recsys.stack;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;

/**
 * The catalogue's truth is the worker's checkpoint, not what compaction left of the {@code items} topic: a
 * client writes a record the worker refuses under a hidden item's key, compaction then keeps only that record,
 * and a restarted worker still hides the item.
 */
class CatalogueTruthTest {

    @Test
    void aRefusedRecordThatCompactionKeptDoesNotUnhideAnItemAfterARestart() throws Exception {
        Path root = Path.of(System.getProperty("stack.root", "..")).toAbsolutePath().normalize();
        Path run = Files.createTempDirectory("catalogue-truth-");
        try (LocalStack stack = LocalStack.start(root, run.resolve("stack"), LocalStack.Ports.free(), Map.of(
                "worker.checkpoint.store", run.resolve("checkpoints").toUri().toString(),
                "worker.checkpoint.interval", "PT1S",
                // Compaction at once, so that the test sees it; the default keeps a day of updates uncompacted.
                "worker.items.compaction-lag", "PT0S"))) {
            items(stack, "[{\"itemId\":\"top\",\"categories\":[\"A\"],\"hidden\":true},"
                    + "{\"itemId\":\"other\",\"categories\":[\"A\"]}]");
            // "top" is the most popular item: visible, it would lead every stranger's list.
            StringBuilder events = new StringBuilder("[");
            for (int u = 0; u < 5; u++) {
                events.append(u > 0 ? "," : "").append("{\"userId\":\"u%d\",\"itemId\":\"top\",\"type\":\"purchase\"},".formatted(u))
                        .append("{\"userId\":\"u%d\",\"itemId\":\"other\",\"type\":\"click\"}".formatted(u));
            }
            given().baseUri(stack.functionsUrl()).contentType(ContentType.JSON).body(events.append(']').toString())
                    .post("/ingest").then().statusCode(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> recommended(stack).contains("other"));
            assertFalse(recommended(stack).contains("top"));

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
                ConfigResource items = new ConfigResource(ConfigResource.Type.TOPIC, "items");
                admin.incrementalAlterConfigs(Map.of(items, List.of(
                        new AlterConfigOp(new ConfigEntry(TopicConfig.SEGMENT_MS_CONFIG, "100"), AlterConfigOp.OpType.SET),
                        new AlterConfigOp(new ConfigEntry(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.01"),
                                AlterConfigOp.OpType.SET)))).all().get();
            }
            try (KafkaProducer<String, String> client = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), new StringSerializer(),
                    new StringSerializer())) {
                client.send(new ProducerRecord<>("items", "top", "{\"itemId\":\"top\",\"hidden\":\"no\"}")).get();
                // Later records roll the segment, so the cleaner can compact the one holding both of top's.
                for (int i = 0; i < 30; i++) {
                    Thread.sleep(200);
                    client.send(new ProducerRecord<>("items", "filler-" + i,
                            "{\"itemId\":\"filler-" + i + "\",\"hidden\":true}")).get();
                }
            }
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> recordsFor(stack, "top").size() == 1);
            assertTrue(recordsFor(stack, "top").get(0).contains("\"no\""), "only the refused record is left for top");
            // A checkpoint after the refused record: the worker handled it (dead-lettered it).
            Path checkpoints = run.resolve("checkpoints");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(checkpoints.resolve("latest")));

            stack.stopWorker();
            stack.startWorker();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> recommended(stack).contains("other"));
            assertFalse(recommended(stack).contains("top"), "top is still hidden after the restart");
            assertTrue(Files.readString(run.resolve("stack/worker.log")).contains("restored checkpoint"));
        }
    }

    static void items(LocalStack stack, String body) {
        given().baseUri(stack.functionsUrl()).contentType(ContentType.JSON).body(body).post("/items").then()
                .statusCode(202);
    }

    static List<String> recommended(LocalStack stack) {
        return given().baseUri(stack.functionsUrl()).contentType(ContentType.JSON)
                .body("{\"userId\":\"stranger\",\"k\":10}").post("/recommend").then().statusCode(200).extract()
                .jsonPath().getList("items.itemId");
    }

    /** The values the items topic holds now under {@code key}, oldest first. */
    static List<String> recordsFor(LocalStack stack, String key) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "look-" + UUID.randomUUID());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition p = new TopicPartition("items", 0);
            c.assign(List.of(p));
            c.seekToBeginning(List.of(p));
            long end = c.endOffsets(List.of(p)).get(p);
            while (c.position(p) < end) {
                c.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (key.equals(r.key())) {
                        out.add(r.value());
                    }
                });
            }
        }
        return out;
    }
}
