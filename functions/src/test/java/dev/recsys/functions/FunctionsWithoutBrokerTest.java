package dev.recsys.functions;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThan;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The HTTP surface with no broker reachable (the test profile points at a closed port): validation answers
 * without Kafka, and work that needs Kafka fails fast with a clear status instead of hanging.
 */
@QuarkusTest
class FunctionsWithoutBrokerTest {

    static final String EVENT = "{\"userId\":\"u1\",\"itemId\":\"i1\",\"type\":\"click\"}";

    @Test
    void ingestOfValidBatchIs503InBoundedTimeWhenBrokerIsDown() {
        given().contentType(ContentType.JSON).body("[" + EVENT + "]")
                .when().post("/ingest")
                .then().statusCode(503)
                .time(lessThan(10L), TimeUnit.SECONDS)
                .body("error", containsString("nothing of this batch was published"))
                .body("outcome", equalTo("not-published"))
                .body("eventIds", org.hamcrest.Matchers.hasSize(1));
    }

    @Test
    void recommendIsAnErrorInBoundedTimeWhenBrokerIsDown() {
        given().contentType(ContentType.JSON).body("{\"userId\":\"u1\"}")
                .when().post("/recommend")
                .then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(503), equalTo(504)))
                .time(lessThan(10L), TimeUnit.SECONDS)
                .body("error", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void missingFieldIsNamed() {
        given().contentType(ContentType.JSON).body("[{\"userId\":\"u1\",\"type\":\"view\"}]")
                .when().post("/ingest")
                .then().statusCode(400)
                .body("violations.field", hasItem("itemId"))
                .body("violations.index", hasItem(0))
                .body("violations.reason", hasItem("is required"));
    }

    @Test
    void unknownTypeIsNamed() {
        given().contentType(ContentType.JSON).body("[" + EVENT + ",{\"userId\":\"u1\",\"itemId\":\"i\",\"type\":\"love\"}]")
                .when().post("/ingest")
                .then().statusCode(400)
                .body("violationCount", equalTo(1))
                .body("violations[0].index", equalTo(1))
                .body("violations[0].field", equalTo("type"))
                .body("violations[0].reason", containsString("love"));
    }

    @Test
    void wrongJsonTypeIsNamed() {
        given().contentType(ContentType.JSON).body("[{\"userId\":\"u1\",\"itemId\":[1],\"type\":\"view\",\"value\":true}]")
                .when().post("/ingest")
                .then().statusCode(400)
                .body("violations.field", hasItem("itemId"))
                .body("violations.field", hasItem("value"))
                .body("violations.reason", hasItem("must be a string, not an array"));
    }

    @Test
    void emptyBatchIsRejected() {
        given().contentType(ContentType.JSON).body("[]")
                .when().post("/ingest")
                .then().statusCode(400)
                .body("violations[0].reason", containsString("empty"));
    }

    @Test
    void oversizeBatchIs413() {
        String batch = "[" + (EVENT + ",").repeat(1000) + EVENT + "]";
        given().contentType(ContentType.JSON).body(batch)
                .when().post("/ingest")
                .then().statusCode(413)
                .body("error", containsString("1001 events; the limit is 1000"));
    }

    @Test
    void oversizeBodyIs413WithJson() {
        given().contentType(ContentType.JSON).body("[" + " ".repeat(2 * 1024 * 1024) + "]")
                .when().post("/ingest")
                .then().statusCode(413)
                .contentType(ContentType.JSON)
                .body("error", containsString("larger than the limit"));
    }

    @Test
    void malformedJsonIs400WithJson() {
        given().contentType(ContentType.JSON).body("[{\"userId\": ")
                .when().post("/ingest")
                .then().statusCode(400)
                .contentType(ContentType.JSON)
                .body("error", equalTo("the body is not valid JSON"));
        given().contentType(ContentType.JSON).body("{userId: u1}")
                .when().post("/recommend")
                .then().statusCode(400)
                .body("error", equalTo("the body is not valid JSON"));
    }

    @Test
    void unknownFunctionIs404WithJson() {
        given().contentType(ContentType.JSON).body("{}")
                .when().post("/recomend")
                .then().statusCode(404)
                .contentType(ContentType.JSON)
                .body("error", equalTo("no such function"));
    }

    @Test
    void recommendValidatesEveryField() {
        given().contentType(ContentType.JSON).body("{\"k\":0,\"excludeSeen\":\"yes\",\"limit\":3}")
                .when().post("/recommend")
                .then().statusCode(400)
                .body("violationCount", equalTo(4))
                .body("violations.field", hasItem("userId"))
                .body("violations.field", hasItem("k"))
                .body("violations.field", hasItem("excludeSeen"))
                .body("violations.field", hasItem("limit"));
        given().contentType(ContentType.JSON).body("{\"userId\":\"u\",\"k\":101}")
                .when().post("/recommend")
                .then().statusCode(400)
                .body("violations[0].reason", containsString("from 1 to 100"));
        given().contentType(ContentType.JSON).body("[\"u\"]")
                .when().post("/recommend")
                .then().statusCode(400)
                .body("violations[0].reason", containsString("JSON object"));
    }
}
