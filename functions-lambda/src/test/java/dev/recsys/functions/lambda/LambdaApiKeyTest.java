package dev.recsys.functions.lambda;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * API keys on the Lambda path (the HTTP-trigger event through Quarkus' mock event server): no key is 401 and a
 * key outside its scope 403, each with the JSON body naming the header, before any function runs.
 */
@QuarkusTest
@TestProfile(LambdaApiKeyTest.WithKeys.class)
class LambdaApiKeyTest {

    public static class WithKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("functions.auth.api-keys", "reader-key-0123456789:recommend",
                    "functions.auth.open", "false");
        }
    }

    @Test
    void noKeyIs401AndAKeyOutsideItsScope403() {
        given().contentType(ContentType.JSON).body("[{\"userId\":\"u1\",\"itemId\":\"i1\",\"type\":\"view\"}]")
                .post("/ingest")
                .then().statusCode(401)
                .contentType(ContentType.JSON)
                .body("status", equalTo(401))
                .body("violations.field", hasItem("X-Api-Key"));
        given().contentType(ContentType.JSON).header("X-Api-Key", "reader-key-0123456789")
                .body("[{\"userId\":\"u1\",\"itemId\":\"i1\",\"type\":\"view\"}]").post("/ingest")
                .then().statusCode(403)
                .body("violations.reason", hasItem("has no 'ingest' scope, which /ingest needs"));
        // Within its scope the request reaches the function: 400 for the missing userId.
        given().contentType(ContentType.JSON).header("X-Api-Key", "reader-key-0123456789").body("{}")
                .post("/recommend").then().statusCode(400).body("violations.field", hasItem("userId"));
    }
}
