package dev.recsys.functions;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.quarkus.arc.Arc;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;

import dev.recsys.functions.kafka.BatchPublisher;
import dev.recsys.testsupport.KafkaTestResource;
import dev.recsys.wire.ScoreReply;
import dev.recsys.wire.ScoredItem;

/**
 * An instance deployed for one scoring call (as the recommend Lambda is, with an IAM role for score-requests
 * and score-replies only): it answers through the worker, never creates the transactional feedback
 * publisher, and answers a write call 404.
 */
@QuarkusTest
@TestProfile(ScoringOnlyFunctionTest.RecommendOnly.class)
@WithTestResource(KafkaTestResource.class)
class ScoringOnlyFunctionTest {

    public static class RecommendOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("functions.calls", "recommend");
        }
    }

    static StandInWorker worker;

    @Inject
    KafkaClientService clients;

    @AfterAll
    static void stop() throws InterruptedException {
        if (worker != null) {
            worker.close();
        }
    }

    @Test
    void recommendIsAnsweredAndNoPublisherIsMade() {
        if (worker == null) {
            worker = new StandInWorker(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
                    request -> new ScoreReply(List.of(new ScoredItem("m7", 1.0)), "stand-in@0"));
        }
        assertNotNull(clients.getProducer("score-requests"));
        given().contentType(ContentType.JSON).body("{\"userId\":\"u1\"}").post("/recommend")
                .then().statusCode(200).body("items[0].itemId", equalTo("m7"));
        given().contentType(ContentType.JSON).body("[{\"userId\":\"u1\",\"itemId\":\"m1\",\"type\":\"view\"}]")
                .post("/ingest").then().statusCode(404).body("error", containsString("/ingest"));
        var bean = Arc.container().instance(BatchPublisher.class).getBean();
        assertFalse(Arc.container().getActiveContext(ApplicationScoped.class).get(bean) != null,
                "the transactional publisher was created on a scoring-only instance");
    }
}
