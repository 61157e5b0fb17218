package dev.recsys.worker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.recsys.kafka.KafkaTestResource;
import dev.recsys.wire.FeedbackType;
import dev.recsys.wire.ScoreReply;
import dev.recsys.wire.ScoredItem;
import dev.recsys.worker.ModelTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The worker with a SASRec checkpoint, through the real broker: the model answers known users. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(ModelTestResource.class)
class WorkerWithModelTest extends WorkerKafkaClient {

    @Test
    void theModelAnswersKnownUsersAndPopularityTheRest() throws Exception {
        String user = "u-" + UUID.randomUUID();
        feedback(user, "m1", FeedbackType.VIEW);
        feedback(user, "m2", FeedbackType.CLICK);
        feedback(user, "not-in-the-model", FeedbackType.VIEW);
        ScoreReply reply = awaitReply(user, 10, r -> r.items().size() == 6);
        List<String> items = reply.items().stream().map(ScoredItem::itemId).toList();
        assertEquals("sasrec@sasrec-test", reply.modelVersion());
        assertFalse(items.contains("m1") || items.contains("m2"));
        assertTrue(ModelTestResource.ITEMS.containsAll(items));

        ScoreReply cold = awaitReply("stranger-" + UUID.randomUUID(), 3, r -> true);
        assertTrue(cold.modelVersion().startsWith("popularity@"), cold.modelVersion());
    }
}
