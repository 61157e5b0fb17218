package dev.recsys.functions;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/** With API keys configured, only requests carrying one reach a function. */
@QuarkusTest
@TestProfile(ApiKeyTest.WithKeys.class)
class ApiKeyTest {

    public static class WithKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("functions.auth.api-keys",
                    "first-key-0123456789,second-key-9876543210,reader-key-0123456789:recommend");
        }
    }

    static final String BAD_BATCH = "[{\"userId\":\"u1\",\"type\":\"view\"}]";

    @Test
    void noKeyIs401NamingTheHeader() {
        given().contentType(ContentType.JSON).body(BAD_BATCH).post("/ingest")
                .then().statusCode(401)
                .contentType(ContentType.JSON)
                .body("status", equalTo(401))
                .body("violations.field", hasItem("X-Api-Key"))
                .body("violations.reason", hasItem("is required"));
    }

    @Test
    void wrongKeyIs401() {
        given().contentType(ContentType.JSON).header("X-Api-Key", "first-key-0123456788").body("{\"userId\":\"u1\"}")
                .post("/recommend")
                .then().statusCode(401)
                .body("violations.reason", hasItem("is not an accepted API key"));
    }

    @Test
    void eitherRightKeyReachesTheFunction() {
        // The function answers (400 for the missing itemId): the request got past the key check.
        for (String key : new String[] { "first-key-0123456789", "second-key-9876543210" }) {
            given().contentType(ContentType.JSON).header("X-Api-Key", key).body(BAD_BATCH).post("/ingest")
                    .then().statusCode(400)
                    .body("violations.field", hasItem("itemId"));
        }
    }

    @Test
    void aKeyOutsideItsScopeIs403NamingTheScope() {
        given().contentType(ContentType.JSON).header("X-Api-Key", "reader-key-0123456789").body(BAD_BATCH)
                .post("/ingest")
                .then().statusCode(403)
                .contentType(ContentType.JSON)
                .body("status", equalTo(403))
                .body("violations.field", hasItem("X-Api-Key"))
                .body("violations.reason", hasItem("has no 'ingest' scope, which /ingest needs"));
        given().contentType(ContentType.JSON).header("X-Api-Key", "reader-key-0123456789").body("[]")
                .post("/forget-user").then().statusCode(403);
        // Within its scope it reaches the function (400: the body is missing userId).
        given().contentType(ContentType.JSON).header("X-Api-Key", "reader-key-0123456789").body("{}")
                .post("/recommend").then().statusCode(400).body("violations.field", hasItem("userId"));
    }

    @Test
    void healthStaysOpen() {
        given().get("/q/health/live").then().statusCode(not(anyOf(equalTo(401), equalTo(404))));
    }

    @Test
    void unknownPathsAreNotAHintEither() {
        given().contentType(ContentType.JSON).body("{}").post("/no-such-function").then().statusCode(401);
    }
}
