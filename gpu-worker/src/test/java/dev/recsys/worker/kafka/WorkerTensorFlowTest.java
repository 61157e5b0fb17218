package dev.recsys.worker.kafka;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.recsys.testsupport.KafkaTestResource;
import dev.recsys.wire.FeedbackType;
import dev.recsys.wire.ScoreReply;
import dev.recsys.wire.ScoredItem;
import dev.recsys.worker.ModelTestResource;

/** The worker answers through the real broker with the TensorFlow backend, on snapshots training publishes. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(ModelTestResource.class)
@TestProfile(WorkerTensorFlowTest.TensorFlow.class)
class WorkerTensorFlowTest extends WorkerKafkaClient {

    public static class TensorFlow implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("worker.model.backend", "tensorflow",
                    "worker.model.tensorflow-cache-dir", System.getProperty("org.bytedeco.javacpp.cachedir",
                            "target/javacpp-cache"));
        }
    }

    @Test
    void tensorFlowScoresKnownUsersAndTakesUpTrainedSnapshots() throws Exception {
        String user = "tf-" + UUID.randomUUID();
        for (String item : List.of("m1", "m2", "m3")) {
            feedback(user, item, FeedbackType.VIEW);
        }
        ScoreReply reply = awaitReply(user, 10,
                r -> r.modelVersion().matches("sasrec@sasrec-test\\+[1-9][0-9]*\\+cooccurrence[01]\\.[0-9]{2}"));
        List<String> items = reply.items().stream().map(ScoredItem::itemId).toList();
        assertFalse(items.stream().anyMatch(List.of("m1", "m2", "m3")::contains), items.toString());
        assertTrue(items.containsAll(ModelTestResource.ITEMS.subList(3, 8)), items.toString());
    }
}
