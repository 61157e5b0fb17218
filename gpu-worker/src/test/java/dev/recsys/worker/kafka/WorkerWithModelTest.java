package dev.recsys.worker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

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
        // Online training gives new items rows, so the catalogue may have grown past the checkpoint's.
        ScoreReply reply = awaitReply(user, 10, r -> r.items().size() >= 6);
        List<String> items = reply.items().stream().map(ScoredItem::itemId).toList();
        assertTrue(reply.modelVersion().startsWith("sasrec@sasrec-test"), reply.modelVersion());
        assertFalse(items.contains("m1") || items.contains("m2"));
        assertFalse(items.contains("not-in-the-model"));
        assertTrue(items.containsAll(ModelTestResource.ITEMS.subList(2, 8)), items.toString());

        ScoreReply cold = awaitReply("stranger-" + UUID.randomUUID(), 3, r -> true);
        assertTrue(cold.modelVersion().startsWith("popularity@"), cold.modelVersion());
    }

    @Test
    void feedbackTrainsTheModelOnlineAndTheOperatorCanSeeIt() throws Exception {
        String user = "trained-" + UUID.randomUUID();
        for (String item : List.of("m3", "m4", "m5", "brand-new")) {
            feedback(user, item, FeedbackType.VIEW);
        }
        // A snapshot trained on this user's events (a version with a step count) ends up serving.
        ScoreReply reply = awaitReply(user, 10, r -> r.modelVersion().matches("sasrec@sasrec-test\\+[1-9][0-9]*"));
        assertFalse(reply.items().stream().map(ScoredItem::itemId).anyMatch(List.of("m3", "m4", "m5", "brand-new")::contains));

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String name : List.of("worker_training_steps_total", "worker_training_loss", "worker_model_snapshot_age_seconds",
                "worker_training_freshness_seconds_bucket", "worker_score_batch_size", "worker_score_seconds",
                "worker_feedback_lag_records", "worker_training_pending_users")) {
            assertTrue(metrics.contains(name), name + " missing from /q/metrics");
        }
        double steps = metric(metrics, "worker_training_steps_total");
        assertTrue(steps >= 1, "steps " + steps);
        assertTrue(metric(metrics, "worker_feedback_events_total{outcome=\"consumed\"}") >= 4);
        assertTrue(Double.isFinite(metric(metrics, "worker_training_loss")), metrics.lines()
                .filter(l -> l.startsWith("worker_training")).toList().toString());

        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'model' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'model' }.data.serving", startsWith("sasrec@sasrec-test+"));
    }

    /** The value of the first sample whose line starts with {@code series}. */
    static double metric(String exposition, String series) {
        return exposition.lines().filter(l -> l.startsWith(series + " ") || l.startsWith(series + "{"))
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError(series + " not in /q/metrics"));
    }
}
