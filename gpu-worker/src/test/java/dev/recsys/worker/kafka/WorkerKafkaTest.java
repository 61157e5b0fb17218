package dev.recsys.worker.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.recsys.kafka.KafkaTestResource;
import dev.recsys.wire.FeedbackEvent;
import dev.recsys.wire.FeedbackType;
import dev.recsys.wire.ScoreReply;
import dev.recsys.wire.ScoreRequest;
import dev.recsys.wire.ScoredItem;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.reply.KafkaRequestReply;

/**
 * The worker's Kafka contract, spoken by plain Kafka clients: feedback in, score requests with SmallRye's
 * request-reply headers in, replies out with the correlation id.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class WorkerKafkaTest {

    final ObjectMapper json = new ObjectMapper();
    KafkaProducer<String, String> producer;
    KafkaConsumer<String, String> replies;

    @BeforeEach
    void clients() {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new StringSerializer());
        replies = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"), new StringDeserializer(), new StringDeserializer());
        replies.subscribe(List.of("score-replies"));
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            replies.poll(Duration.ofMillis(100));
            return !replies.assignment().isEmpty();
        });
    }

    @AfterEach
    void close() {
        producer.close();
        replies.close();
    }

    void feedback(String user, String item, FeedbackType type) throws Exception {
        var e = new FeedbackEvent(UUID.randomUUID().toString(), user, item, type, null, System.currentTimeMillis());
        producer.send(new ProducerRecord<>("feedback", user, json.writeValueAsString(e))).get();
    }

    String request(String user, int k) throws Exception {
        String correlation = UUID.randomUUID().toString();
        var record = new ProducerRecord<>("score-requests", user, json.writeValueAsString(new ScoreRequest(user, k, true)));
        record.headers().add(KafkaRequestReply.DEFAULT_REPLY_CORRELATION_ID_HEADER,
                correlation.getBytes(StandardCharsets.UTF_8));
        record.headers().add(KafkaRequestReply.DEFAULT_REPLY_TOPIC_HEADER, "score-replies".getBytes(StandardCharsets.UTF_8));
        producer.send(record).get();
        return correlation;
    }

    Map<String, ScoreReply> awaitReplies(List<String> correlations) {
        Map<String, ScoreReply> got = new HashMap<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (var r : replies.poll(Duration.ofMillis(100))) {
                var h = r.headers().lastHeader(KafkaRequestReply.DEFAULT_REPLY_CORRELATION_ID_HEADER);
                got.put(new String(h.value(), StandardCharsets.UTF_8), json.readValue(r.value(), ScoreReply.class));
            }
            return got.keySet().containsAll(correlations);
        });
        return got;
    }

    @Test
    void answersEveryRequestWithItsCorrelationIdExcludingSeenItems() throws Exception {
        String u1 = "u1-" + UUID.randomUUID();
        String u2 = "u2-" + UUID.randomUUID();
        String hot = "hot-" + UUID.randomUUID();
        feedback(u1, hot, FeedbackType.PURCHASE);
        feedback(u2, hot, FeedbackType.PURCHASE);
        feedback(u2, "other", FeedbackType.VIEW);
        // A record no one can decode must not stop the worker.
        producer.send(new ProducerRecord<>("feedback", u2, "{not json")).get();

        // Poll until the worker has applied the feedback: a stranger then gets the hot item first.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ScoreReply r = awaitReplies(List.of(request("warmup", 1))).values().iterator().next();
            assertEquals(List.of(hot), r.items().stream().map(ScoredItem::itemId).toList());
        });
        String forU2 = request(u2, 5);
        List<String> u2Items = awaitReplies(List.of(forU2)).get(forU2).items().stream()
                .map(ScoredItem::itemId).toList();
        assertEquals(false, u2Items.contains(hot));
        assertEquals(false, u2Items.contains("other"));

        List<String> correlations = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            correlations.add(request("stranger-" + i, 3));
        }
        correlations.add(request(u1, 3));
        Map<String, ScoreReply> got = awaitReplies(correlations);
        ScoreReply forStranger = got.get(correlations.get(0));
        assertEquals(hot, forStranger.items().get(0).itemId());
        ScoreReply forU1 = got.get(correlations.get(50));
        assertEquals(false, forU1.items().stream().anyMatch(i -> i.itemId().equals(hot)));
        assertEquals(true, forU1.modelVersion().startsWith("popularity@"));
    }
}
