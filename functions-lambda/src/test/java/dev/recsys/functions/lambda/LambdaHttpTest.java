package dev.recsys.functions.lambda;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.recsys.testsupport.KafkaTestResource;

/**
 * The Lambda build answers real HTTP-trigger invocations in JVM mode: Quarkus' mock event server turns each
 * request into an API Gateway HTTP event, the Lambda handler runs it through the same Funqy functions, and
 * the answer comes back as the event's response. A real broker on loopback takes what ingest publishes.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class LambdaHttpTest {

    @Test
    void ingestThroughALambdaEventIsAccepted() {
        given().contentType(ContentType.JSON)
                .body("[{\"userId\":\"lambda-user\",\"itemId\":\"i1\",\"type\":\"click\"}]")
                .post("/ingest")
                .then().statusCode(202)
                .body("accepted", equalTo(1));
    }

    @Test
    void itemsThroughALambdaEventAreAccepted() {
        given().contentType(ContentType.JSON)
                .body("[{\"itemId\":\"lambda-item\",\"categories\":[\"Drama\"],\"hidden\":true}]")
                .post("/items")
                .then().statusCode(202)
                .body("accepted", equalTo(1));
    }

    @Test
    void badInputIsA400NamingTheFieldThroughTheLambdaPathToo() {
        given().contentType(ContentType.JSON).body("[{\"userId\":\"u1\",\"type\":\"view\"}]")
                .post("/ingest")
                .then().statusCode(400)
                .contentType(ContentType.JSON)
                .body("violations.field", hasItem("itemId"));
        given().contentType(ContentType.JSON).body("{\"userId\":\"u1\",\"candidates\":[]}")
                .post("/rerank")
                .then().statusCode(400)
                .body("violations.field", hasItem("candidates"));
    }
}
