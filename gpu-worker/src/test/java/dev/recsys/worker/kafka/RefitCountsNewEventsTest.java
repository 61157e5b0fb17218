package dev.recsys.worker.kafka;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.recsys.testsupport.KafkaTestResource;
import dev.recsys.wire.FeedbackEvent;
import dev.recsys.wire.FeedbackType;
import dev.recsys.worker.ModelTestResource;

/**
 * A re-fit waits for events that are new to the served model's fit: the log it was fitted on, consumed again,
 * does not count towards the next pass.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(ModelTestResource.class)
@TestProfile(RefitCountsNewEventsTest.EveryFewEvents.class)
class RefitCountsNewEventsTest extends WorkerKafkaClient {

    static final int EVERY = 6;

    public static class EveryFewEvents implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("worker.refit.every-events", String.valueOf(EVERY), "worker.refit.max-epochs", "1");
        }
    }

    @Test
    void eventsTheModelWasFittedOnDoNotCountTowardsARefit() throws Exception {
        String user = "old-" + UUID.randomUUID();
        double skippedBefore = metric("worker_blend_in_sample_skipped");
        // Twice the events a pass waits for, all at or before the model's fit.
        for (int i = 0; i < 2 * EVERY; i++) {
            feedback(new FeedbackEvent(UUID.randomUUID().toString(), user, ModelTestResource.ITEMS.get(i % 8),
                    FeedbackType.VIEW, null, ModelTestResource.FITTED_THROUGH - 100 + i));
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> metric("worker_blend_in_sample_skipped") >= skippedBefore + 2 * EVERY);
        // The re-fit thread looks once a second: three looks, and no pass.
        Thread.sleep(3_000);
        assertEquals(0, passes(), "a pass on events the model had seen");

        // As many new events as a pass waits for: one runs.
        String fresh = "new-" + UUID.randomUUID();
        for (int i = 0; i < EVERY; i++) {
            feedback(fresh, ModelTestResource.ITEMS.get(i % 8), FeedbackType.VIEW);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> passes() >= 1);
    }

    private static double passes() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return WorkerWithModelTest.metric(metrics, "worker_refit_running")
                + sum(metrics, "worker_refits_total");
    }

    private static double metric(String series) {
        return WorkerWithModelTest.metric(given().get("/q/metrics").then().statusCode(200).extract().asString(),
                series);
    }

    private static double sum(String exposition, String metric) {
        return exposition.lines().filter(l -> l.startsWith(metric + "{") || l.startsWith(metric + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
