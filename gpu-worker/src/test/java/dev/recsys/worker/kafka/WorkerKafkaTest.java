package dev.recsys.worker.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.recsys.testsupport.KafkaTestResource;
import dev.recsys.wire.FeedbackType;
import dev.recsys.wire.ScoreReply;
import dev.recsys.wire.ScoredItem;

/**
 * The worker's Kafka contract, spoken by plain Kafka clients: feedback in, score requests with SmallRye's
 * request-reply headers in, replies out with the correlation id.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class WorkerKafkaTest extends WorkerKafkaClient {

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
        assertEquals(true, forStranger.modelVersion().startsWith("popularity@"), forStranger.modelVersion());
        // Without a model the default scorer is the co-occurrence table: u1's hot item was followed by
        // "other" (u2), so that is u1's first recommendation, and the answer says which table gave it.
        ScoreReply forU1 = got.get(correlations.get(50));
        assertEquals(false, forU1.items().stream().anyMatch(i -> i.itemId().equals(hot)));
        assertEquals("other", forU1.items().get(0).itemId());
        assertEquals(true, forU1.modelVersion().startsWith("cooccurrence@"), forU1.modelVersion());
    }
}
