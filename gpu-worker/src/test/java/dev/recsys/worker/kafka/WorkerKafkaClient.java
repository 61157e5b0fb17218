package dev.recsys.worker.kafka;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

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

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.recsys.wire.FeedbackEvent;
import dev.recsys.wire.FeedbackType;
import dev.recsys.wire.ItemUpdate;
import dev.recsys.wire.ScoreReply;
import dev.recsys.wire.ScoreRequest;
import io.smallrye.reactive.messaging.kafka.reply.KafkaRequestReply;

/**
 * Speaks the worker's Kafka contract with plain clients: feedback in, score requests with SmallRye's
 * request-reply headers in, replies read back by correlation id.
 */
abstract class WorkerKafkaClient {

    final ObjectMapper json = new ObjectMapper();
    KafkaProducer<String, String> producer;
    KafkaConsumer<String, String> replies;
    final Map<String, ScoreReply> received = new HashMap<>();

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
        // "latest" is resolved lazily, on a later poll: a reply that lands before then would be skipped, and
        // its request wait out the whole bound. Resolving each position now pins the start before any request.
        replies.assignment().forEach(tp -> replies.position(tp, Duration.ofSeconds(20)));
    }

    @AfterEach
    void close() {
        producer.close();
        replies.close();
    }

    void feedback(String user, String item, FeedbackType type) throws Exception {
        feedback(new FeedbackEvent(UUID.randomUUID().toString(), user, item, type, null, System.currentTimeMillis()));
    }

    void feedback(FeedbackEvent e) throws Exception {
        producer.send(new ProducerRecord<>("feedback", e.userId(), json.writeValueAsString(e))).get();
    }

    void item(ItemUpdate update) throws Exception {
        producer.send(new ProducerRecord<>("items", update.itemId(), json.writeValueAsString(update))).get();
    }

    String request(String user, int k) throws Exception {
        return request(new ScoreRequest(user, k, true));
    }

    String request(ScoreRequest request) throws Exception {
        String correlation = UUID.randomUUID().toString();
        var record = new ProducerRecord<>("score-requests", request.userId(), json.writeValueAsString(request));
        record.headers().add(KafkaRequestReply.DEFAULT_REPLY_CORRELATION_ID_HEADER,
                correlation.getBytes(StandardCharsets.UTF_8));
        record.headers().add(KafkaRequestReply.DEFAULT_REPLY_TOPIC_HEADER, "score-replies".getBytes(StandardCharsets.UTF_8));
        producer.send(record).get();
        return correlation;
    }

    /**
     * Waits for the replies to {@code correlations}; every reply read on the way is kept for later calls. The
     * bound is generous: on two busy cores (a build beside the tests) a reply once took over 20 s.
     */
    Map<String, ScoreReply> awaitReplies(List<String> correlations) {
        await().atMost(Duration.ofSeconds(40)).until(() -> {
            for (var r : replies.poll(Duration.ofMillis(100))) {
                var h = r.headers().lastHeader(KafkaRequestReply.DEFAULT_REPLY_CORRELATION_ID_HEADER);
                received.put(new String(h.value(), StandardCharsets.UTF_8), json.readValue(r.value(), ScoreReply.class));
            }
            return received.keySet().containsAll(correlations);
        });
        Map<String, ScoreReply> got = new HashMap<>();
        correlations.forEach(c -> got.put(c, received.get(c)));
        return got;
    }

    /** Asks again until the answer satisfies {@code until} (the worker applies feedback asynchronously). */
    ScoreReply awaitReply(String user, int k, Predicate<ScoreReply> until) {
        return awaitReply(new ScoreRequest(user, k, true), until);
    }

    ScoreReply awaitReply(ScoreRequest request, Predicate<ScoreReply> until) {
        AtomicReference<ScoreReply> last = new AtomicReference<>();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                String c = request(request);
                last.set(awaitReplies(List.of(c)).get(c));
                return until.test(last.get());
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no fitting reply for " + request + " in 60 s; the last was " + last.get(), e);
        }
        return last.get();
    }
}
