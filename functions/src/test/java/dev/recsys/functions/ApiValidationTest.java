package dev.recsys.functions;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * Bad input to the catalogue and ranking functions: 400 (or 413) with a JSON body naming the field, answered
 * before anything reaches Kafka (no broker is reachable in this profile).
 */
@QuarkusTest
class ApiValidationTest {

    static ValidatableResponse post(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).when().post(path).then();
    }

    @Test
    void recommendFiltersAreChecked() {
        post("/recommend", "{\"userId\":\"u\",\"categories\":\"drama\",\"excludeItems\":[\"a\",7]}")
                .statusCode(400)
                .body("violations.field", hasItem("categories"))
                .body("violations.reason", hasItem("must be an array of strings, not a string"))
                .body("violations.field", hasItem("excludeItems[1]"));
        post("/recommend", "{\"userId\":\"u\",\"categories\":[\"\"]}")
                .statusCode(400).body("violations[0].field", equalTo("categories[0]"));
    }

    @Test
    void sessionNeedsItems() {
        post("/recommend-session", "{\"k\":5}").statusCode(400)
                .body("violations[0].field", equalTo("items"))
                .body("violations[0].reason", containsString("is required"));
        post("/recommend-session", "{\"items\":[]}").statusCode(400)
                .body("violations[0].reason", equalTo("must not be empty"));
        post("/recommend-session", "{\"items\":[\"a\"],\"k\":0,\"userId\":\"u\"}").statusCode(400)
                .body("violations.field", hasItem("k"))
                .body("violations.field", hasItem("userId"));
        post("/recommend-session", "[\"a\"]").statusCode(400)
                .body("violations[0].reason", containsString("must be a JSON object"));
    }

    @Test
    void rerankNeedsAUserAndDistinctCandidates() {
        post("/rerank", "{\"candidates\":[\"a\"]}").statusCode(400)
                .body("violations[0].field", equalTo("userId"));
        post("/rerank", "{\"userId\":\"u\",\"candidates\":[\"a\",\"b\",\"a\"]}").statusCode(400)
                .body("violations[0].field", equalTo("candidates[2]"))
                .body("violations[0].reason", containsString("repeats 'a'"));
        StringBuilder many = new StringBuilder("{\"userId\":\"u\",\"candidates\":[");
        for (int i = 0; i <= dev.recsys.wire.validation.WireLimits.MAX_CANDIDATES; i++) {
            many.append(i == 0 ? "" : ",").append("\"c").append(i).append('"');
        }
        post("/rerank", many.append("]}").toString()).statusCode(400)
                .body("violations[0].reason", containsString("the limit is " + dev.recsys.wire.validation.WireLimits.MAX_CANDIDATES));
    }

    @Test
    void similarItemsNeedsAnItem() {
        post("/similar-items", "{\"k\":3}").statusCode(400).body("violations[0].field", equalTo("itemId"));
        post("/similar-items", "{\"itemId\":\"a\",\"k\":101}").statusCode(400)
                .body("violations[0].field", equalTo("k"));
    }

    @Test
    void itemsAreCheckedEntryByEntryAndRejectedWhole() {
        post("/items", """
                [{"itemId":"a","categories":["drama"]},
                 {"categories":["x"]},
                 {"itemId":"b","hidden":"yes","categories":["x","x"]},
                 {"itemId":"a"},
                 {"itemId":"c","timestamp":-1,"colour":"red"}]""")
                .statusCode(400)
                .body("error", containsString("nothing of it was accepted"))
                .body("violations.findAll { it.index == 1 }.field", hasItem("itemId"))
                .body("violations.findAll { it.index == 2 }.field", hasItem("hidden"))
                .body("violations.findAll { it.index == 2 }.field", hasItem("categories[1]"))
                .body("violations.findAll { it.index == 3 }.reason", hasItem(containsString("more than once")))
                .body("violations.findAll { it.index == 4 }.field", hasItem("timestamp"))
                .body("violations.findAll { it.index == 4 }.field", hasItem("colour"));
        post("/items", "{\"itemId\":\"a\"}").statusCode(400)
                .body("violations[0].reason", containsString("JSON array"));
        post("/items", "[]").statusCode(400).body("violations[0].reason", containsString("empty"));
    }

    @Test
    void tooManyItemsIs413() {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i <= 1000; i++) {
            body.append(i == 0 ? "" : ",").append("{\"itemId\":\"i").append(i).append("\"}");
        }
        post("/items", body.append(']').toString()).statusCode(413).body("error", containsString("limit is 1000"));
    }

    @Test
    void validItemsGet503InBoundedTimeWithNoBroker() {
        post("/items", "[{\"itemId\":\"a\",\"categories\":[\"drama\"],\"hidden\":true}]")
                .statusCode(503).body("error", containsString("nothing of this batch was published"));
    }
}
