package dev.recsys.functions.lambda;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * One Lambda per call, as Terraform deploys them (FUNCTIONS_CALLS, FUNCTIONS_SCORING_CHANNEL): the recommend
 * Lambda reaches its function and answers a write call 404 with the JSON body naming the path.
 */
@QuarkusTest
@TestProfile(LambdaOneCallTest.RecommendLambda.class)
class LambdaOneCallTest {

    public static class RecommendLambda implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("functions.calls", "recommend", "functions.scoring-channel", "true");
        }
    }

    @Test
    void answersItsOwnCallOnly() {
        given().contentType(ContentType.JSON).body("{}").post("/recommend")
                .then().statusCode(400).body("violations.field", hasItem("userId"));
        given().contentType(ContentType.JSON).body("[{\"userId\":\"u1\",\"itemId\":\"i1\",\"type\":\"view\"}]")
                .post("/ingest")
                .then().statusCode(404).contentType(ContentType.JSON)
                .body("violations.field", hasItem("path"))
                .body("error", containsString("/ingest is answered by another function"));
    }
}
