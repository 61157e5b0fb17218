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

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.recsys.core.ItemCatalogue;
import dev.recsys.testsupport.KafkaTestResource;
import dev.recsys.wire.FeedbackEvent;
import dev.recsys.wire.FeedbackType;
import dev.recsys.wire.ItemUpdate;
import dev.recsys.worker.model.WorkerModel;

/** What unknown clients can make the worker hold is bounded: users evicted, new items refused past the caps. */
@QuarkusTest
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(StateLimitsTest.SmallLimits.class)
class StateLimitsTest extends WorkerKafkaClient {

    public static class SmallLimits implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            return Map.of("worker.limits.max-users", "2", "worker.limits.max-items", "3",
                    "worker.limits.max-catalogue-items", "2", "worker.limits.max-catalogue-bytes", "1000",
                    "worker.limits.max-user-bytes", "1000", "worker.dedup.max-ids", "10",
                    "worker.dedup.max-ids-per-user", "3");
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
    @org.junit.jupiter.api.Order(1)
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

    /** The byte budgets: a catalogue update that would grow past its bytes, a user's long ids, one user's flood of ids. */
    @Test
    @org.junit.jupiter.api.Order(2)
    void byteBudgetsHoldAndOneUsersFloodOfIdsLeavesAnothersRetryDropped() throws Exception {
        long t = System.currentTimeMillis();
        long catalogueBytes = catalogue.bytes();
        List<String> many = java.util.stream.IntStream.range(0, 20).mapToObj(i -> "category-" + "x".repeat(30) + i).toList();
        item(new ItemUpdate("b", many, false, t)); // would grow the catalogue past 1,000 bytes: refused
        item(new ItemUpdate("b", List.of(), true, t)); // shrinks it: applies
        await().atMost(Duration.ofSeconds(20)).until(() -> catalogue.hidden("b"));
        assertEquals(List.of(), catalogue.get("b").orElseThrow().categories(), "the refused update left no trace");
        assertEquals(catalogueBytes - ItemCatalogue.cost(new ItemUpdate("b", List.of("x"), false, t))
                + ItemCatalogue.cost(new ItemUpdate("b", List.of(), true, t)), catalogue.bytes());

        feedback(new FeedbackEvent("keep", "v1", "a", FeedbackType.VIEW, null, t));
        for (int i = 0; i < 30; i++) { // past the window of 10 ids, but only v2's own share of 3 goes
            feedback(new FeedbackEvent("flood-" + i, "v2", "a", FeedbackType.VIEW, null, t));
        }
        feedback(new FeedbackEvent("keep", "v1", "a", FeedbackType.VIEW, null, t)); // a retry: dropped
        feedback(new FeedbackEvent("flood-0", "v2", "a", FeedbackType.VIEW, null, t)); // out of v2's share: applied
        feedback(new FeedbackEvent("last", "v1", "c", FeedbackType.VIEW, null, t));
        await().atMost(Duration.ofSeconds(20)).until(() -> model.state().histories().snapshot("v1").events() == 2);
        assertEquals(31, model.state().histories().snapshot("v2").events());
        assertEquals(28, model.state().eventIds().evictedByShare()); // 27 by the flood, one by flood-0 again

        for (int i = 0; i < 10; i++) { // turned-down items of 40 characters: 144 bytes each in two lists
            feedback(new FeedbackEvent("long-" + i, "v1", "i".repeat(39) + i, FeedbackType.SKIP, null, t));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> model.state().histories().snapshot("v1").events() == 12);
        var v1 = model.state().histories().snapshot("v1");
        long held = java.util.stream.Stream.of(v1.sequence(), v1.seen(), v1.rejected())
                .flatMap(java.util.Collection::stream).mapToLong(dev.recsys.core.IdBytes::of).sum();
        assertEquals(true, held <= 1000, "v1 holds " + held + " bytes of ids");
        assertEquals(true, v1.rejected().contains("i".repeat(39) + 9), "the newest stays");
        assertEquals(false, v1.rejected().contains("i".repeat(39) + 0), "the oldest went");
    }
}
