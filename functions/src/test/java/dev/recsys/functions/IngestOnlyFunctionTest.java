package dev.recsys.functions;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;

import dev.recsys.testsupport.KafkaTestResource;

/**
 * An instance deployed for the write calls only (as the ingest Lambda is, with an IAM role for the feedback
 * topic alone): it starts no scoring client, is ready without one, and answers a scoring call 404.
 */
@QuarkusTest
@TestProfile(IngestOnlyFunctionTest.WriteCallsOnly.class)
@WithTestResource(KafkaTestResource.class)
class IngestOnlyFunctionTest {

    public static class WriteCallsOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("functions.calls", "ingest,forget-user", "functions.scoring-channel", "false");
        }
    }

    @Inject
    KafkaClientService clients;

    @Test
    void ingestIsPublished() {
        given().contentType(ContentType.JSON).body("[{\"userId\":\"u1\",\"itemId\":\"m1\",\"type\":\"view\"}]")
                .post("/ingest").then().statusCode(202).body("accepted", equalTo(1));
    }

    @Test
    void theScoringChannelIsNeverStarted() {
        assertNull(clients.getProducer("score-requests"), "no score-requests producer on a write-only instance");
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'score-replies' }.data.replies",
                        containsString("answers no scoring call"));
    }

    @Test
    void aScoringCallIs404NamingThePath() {
        given().contentType(ContentType.JSON).body("{\"userId\":\"u1\"}").post("/recommend")
                .then().statusCode(404).contentType(ContentType.JSON)
                .body("violations.field", hasItem("path"))
                .body("error", containsString("/recommend is answered by another function"));
        given().contentType(ContentType.JSON).body("[]").post("/items").then().statusCode(404);
    }
}
