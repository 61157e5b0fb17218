package dev.recsys.worker.kafka;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.recsys.testsupport.KafkaTestResource;
import dev.recsys.wire.FeedbackType;
import dev.recsys.wire.ItemUpdate;
import dev.recsys.wire.ScoreReply;
import dev.recsys.wire.ScoreRequest;
import dev.recsys.wire.ScoredItem;
import dev.recsys.worker.ModelTestResource;

/** The worker with a SASRec checkpoint, through the real broker: the model answers known users. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(ModelTestResource.class)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
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
        // A snapshot trained on this user's events (a version with a step count) ends up serving, mixed with the
        // co-occurrence table (worker.scorer=auto), whose share the answer names.
        ScoreReply reply = awaitReply(user, 10,
                r -> r.modelVersion().matches("sasrec@sasrec-test\\+[1-9][0-9]*\\+cooccurrence[01]\\.[0-9]{2}"));
        assertFalse(reply.items().stream().map(ScoredItem::itemId).anyMatch(List.of("m3", "m4", "m5", "brand-new")::contains));

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String name : List.of("worker_training_steps_total", "worker_training_loss", "worker_model_snapshot_age_seconds",
                "worker_training_freshness_seconds_bucket", "worker_score_batch_size", "worker_score_seconds",
                "worker_feedback_lag_records", "worker_training_pending_users", "worker_blend_table_share",
                "worker_blend_samples")) {
            assertTrue(metrics.contains(name), name + " missing from /q/metrics");
        }
        double steps = metric(metrics, "worker_training_steps_total");
        assertTrue(steps >= 1, "steps " + steps);
        double share = metric(metrics, "worker_blend_table_share");
        assertTrue(share >= 0 && share <= 1, "blend share " + share);
        assertTrue(metric(metrics, "worker_feedback_events_total{outcome=\"consumed\"}") >= 4);
        assertTrue(Double.isFinite(metric(metrics, "worker_training_loss")), metrics.lines()
                .filter(l -> l.startsWith("worker_training")).toList().toString());

        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'model' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'model' }.data.serving", startsWith("sasrec@sasrec-test+"));
    }

    @Test
    void eventsOlderThanTheModelsFitDoNotTeachTheBlend() throws Exception {
        String user = "replayed-" + UUID.randomUUID();
        double before = metric(given().get("/q/metrics").then().statusCode(200).extract().asString(),
                "worker_blend_in_sample_skipped");
        // A log the offline model was trained on, consumed again: m1 then m2, both before the fit's newest event.
        for (String item : List.of("m1", "m2")) {
            feedback(new dev.recsys.wire.FeedbackEvent(UUID.randomUUID().toString(), user, item, FeedbackType.VIEW,
                    null, ModelTestResource.FITTED_THROUGH - 1));
        }
        awaitReply(user, 10, r -> !ids(r).contains("m2"));
        double after = metric(given().get("/q/metrics").then().statusCode(200).extract().asString(),
                "worker_blend_in_sample_skipped");
        assertEquals(before + 2, after, "in-sample events passed over");
    }

    @Test
    void theFiveMeasuresOfWhatIsServedAreInTheMetrics() throws Exception {
        String user = "measured-" + UUID.randomUUID();
        String start = given().get("/q/metrics").then().statusCode(200).extract().asString();
        feedback(user, "m1", FeedbackType.VIEW);
        ScoreReply first = awaitReply(user, 10, r -> r.items().size() >= 5 && r.modelVersion().startsWith("sasrec@"));
        assertTrue(first.modelVersion().contains("+cooccurrence"), "a blended answer: " + first.modelVersion());
        // The user takes the item the worker ranked first: the list they were served is a hit at rank 0.
        String taken = first.items().get(0).itemId();
        feedback(user, taken, FeedbackType.CLICK);
        // Their next list comes after an event of their own, so it counts for interactivity.
        awaitReply(user, 10, r -> !ids(r).contains(taken));

        // The gauges are worked out at most once a second: wait for a summary that holds the hit and the change.
        long deadline = System.nanoTime() + 20_000_000_000L;
        String metrics;
        do {
            Thread.sleep(300);
            metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        } while (!(metric(metrics, "worker_quality_hr10") > 0 && metric(metrics, "worker_quality_interactivity") > 0
                && metric(metrics, "worker_quality_paired_outcomes_total")
                        > metric(start, "worker_quality_paired_outcomes_total"))
                && System.nanoTime() < deadline);
        assertTrue(metric(metrics, "worker_quality_lists") >= 2, "lists");
        assertTrue(metric(metrics, "worker_quality_hr10") > 0, "hr10");
        assertTrue(metric(metrics, "worker_quality_ndcg10") > 0, "ndcg10");
        double interactivity = metric(metrics, "worker_quality_interactivity");
        assertTrue(interactivity > 0 && interactivity <= 1, "interactivity " + interactivity);
        double vectors = metric(metrics, "worker_quality_vector_distance");
        assertTrue(vectors > 0 && vectors <= 2, "vector distance " + vectors);
        assertTrue(metric(metrics, "worker_quality_novelty") > 0, "novelty");
        double coverage = metric(metrics, "worker_quality_coverage");
        assertTrue(coverage > 0 && coverage <= 1, "coverage " + coverage);
        double gini = metric(metrics, "worker_quality_gini");
        assertTrue(gini >= 0 && gini < 1, "gini " + gini);

        // The blended list and the table's for the same request, both scored by the click: the served one a hit
        // at rank 0 (NDCG 1), the table's wherever it ranked the item (0 to 1).
        assertEquals(1, metric(metrics, "worker_quality_paired_outcomes_total")
                - metric(start, "worker_quality_paired_outcomes_total"), "pairs scored");
        assertEquals(1.0, labelled(metrics, "worker_quality_paired_gain_total", "served")
                - labelled(start, "worker_quality_paired_gain_total", "served"), 1e-9, "served NDCG@10");
        double table = labelled(metrics, "worker_quality_paired_gain_total", "table")
                - labelled(start, "worker_quality_paired_gain_total", "table");
        assertTrue(table >= 0 && table <= 1, "the table's NDCG@10 on the same request " + table);
    }

    private static double labelled(String exposition, String series, String list) {
        return exposition.lines().filter(l -> l.startsWith(series + "{") && l.contains("list=\"" + list + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError(series + "{list=" + list + "} not in /q/metrics"));
    }

    /** Last: the items it hides stay hidden for the rest of this worker's life. */
    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
    void theCatalogueFromItsTopicFiltersEveryKindOfAnswer() throws Exception {
        long now = System.currentTimeMillis();
        item(new ItemUpdate("m3", List.of("drama"), true, now));
        item(new ItemUpdate("m4", List.of("drama"), false, now));
        item(new ItemUpdate("m5", List.of("drama", "war"), false, now));
        item(new ItemUpdate("m6", List.of("comedy"), false, now));
        String user = "filtered-" + UUID.randomUUID();
        feedback(user, "m1", FeedbackType.VIEW);

        // The catalogue is read by its own consumer: ask until the hidden flag has arrived.
        ScoreReply drama = awaitReply(ScoreRequest.forUser(user, 10, true, List.of("drama"), null),
                r -> !ids(r).contains("m3") && r.modelVersion().startsWith("sasrec@"));
        assertEquals(java.util.Set.of("m4", "m5"), java.util.Set.copyOf(ids(drama)));
        assertEquals(2, drama.count());

        ScoreReply all = awaitReply(ScoreRequest.forUser(user, 10, true, null, List.of("m6")), r -> true);
        assertFalse(ids(all).contains("m3") || ids(all).contains("m6") || ids(all).contains("m1"), ids(all).toString());

        ScoreReply session = awaitReply(ScoreRequest.forSession(List.of("m2", "m7"), 10, true, null, null), r -> true);
        assertFalse(session.coldStart());
        assertFalse(ids(session).contains("m2") || ids(session).contains("m7") || ids(session).contains("m3"));

        ScoreReply reranked = awaitReply(ScoreRequest.rerank(user, List.of("m8", "nope", "m3", "m2")), r -> true);
        assertEquals(List.of("m3"), reranked.hiddenCandidates());
        assertEquals(java.util.Set.of("m8", "m2"), java.util.Set.copyOf(ids(reranked).subList(0, 2)));
        assertEquals("nope", ids(reranked).get(2));
        assertEquals(Boolean.TRUE, reranked.items().get(2).unknown());

        ScoreReply similar = awaitReply(ScoreRequest.similarTo("m4", 10, null, null), r -> true);
        assertFalse(ids(similar).contains("m4") || ids(similar).contains("m3"), ids(similar).toString());
        assertTrue(ids(similar).containsAll(List.of("m1", "m2", "m5")), ids(similar).toString());
        ScoreReply unknown = awaitReply(ScoreRequest.similarTo("nope", 10, null, null), r -> true);
        assertEquals("not-found", unknown.error().code());
        assertEquals("itemId", unknown.error().field());
    }

    static List<String> ids(ScoreReply reply) {
        return reply.items().stream().map(ScoredItem::itemId).toList();
    }

    /** The value of the first sample whose line starts with {@code series}. */
    static double metric(String exposition, String series) {
        return exposition.lines().filter(l -> l.startsWith(series + " ") || l.startsWith(series + "{"))
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError(series + " not in /q/metrics"));
    }
}
