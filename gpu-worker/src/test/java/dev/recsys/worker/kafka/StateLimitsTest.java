package dev.recsys.worker.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.recsys.core.ItemCatalogue;
import dev.recsys.kafka.KafkaTestResource;
import dev.recsys.wire.FeedbackEvent;
import dev.recsys.wire.FeedbackType;
import dev.recsys.wire.ItemUpdate;
import dev.recsys.worker.WorkerModel;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** What unknown clients can make the worker hold is bounded: users evicted, new items refused past the caps. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(StateLimitsTest.SmallLimits.class)
class StateLimitsTest extends WorkerKafkaClient {

    public static class SmallLimits implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            return Map.of("worker.limits.max-users", "2", "worker.limits.max-items", "3",
                    "worker.limits.max-catalogue-items", "2");
        }

        @Override
        public void stop() {
        }
    }

    @Inject
    WorkerModel model;

    @Inject
    ItemCatalogue catalogue;

    @Test
    void usersAreEvictedAndNewItemsPastTheCapAreDeadLettered() throws Exception {
        long t = System.currentTimeMillis();
        feedback(new FeedbackEvent("e1", "u1", "a", FeedbackType.VIEW, null, t));
        feedback(new FeedbackEvent("e2", "u2", "b", FeedbackType.VIEW, null, t));
        feedback(new FeedbackEvent("e3", "u1", "c", FeedbackType.VIEW, null, t));
        feedback(new FeedbackEvent("e4", "u3", "d", FeedbackType.VIEW, null, t)); // a fourth item: refused
        feedback(new FeedbackEvent("e5", "u3", "a", FeedbackType.VIEW, null, t)); // u3 evicts u2, the least recent
        item(new ItemUpdate("a", List.of("x"), false, t));
        item(new ItemUpdate("b", List.of("x"), false, t));
        item(new ItemUpdate("c", List.of("x"), false, t)); // a third catalogue entry: refused
        item(new ItemUpdate("a", List.of("y"), true, t)); // an update of a known entry still applies

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertEquals(Set.of("u1", "u3"), model.state().histories().state().keySet());
            assertEquals(List.of("a"), model.state().histories().snapshot("u3").sequence());
            assertEquals(3, model.recommender().items());
            assertEquals(true, catalogue.hidden("a"));
        });
        assertEquals(1, model.state().histories().evicted());
        assertEquals(2, catalogue.size());

        Map<String, String> reasons = new HashMap<>();
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        try (var dlq = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new StringDeserializer())) {
            dlq.subscribe(List.of("feedback-dlq", "items-dlq"));
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                dlq.poll(Duration.ofMillis(200)).forEach(r -> reasons.put(r.topic(), new String(
                        r.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8)));
                return reasons.size() == 2;
            });
        }
        assertEquals("itemId: a new item past the worker's limit of 3 items (worker.limits.max-items)",
                reasons.get("feedback-dlq"));
        assertEquals("itemId: a new item past the catalogue's limit of 2 items (worker.limits.max-catalogue-items)",
                reasons.get("items-dlq"));
    }
}
