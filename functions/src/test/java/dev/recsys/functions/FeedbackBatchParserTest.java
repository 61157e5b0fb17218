package dev.recsys.functions;

import dev.recsys.wire.validation.Violation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.recsys.functions.http.ApiError;
import dev.recsys.wire.FeedbackEvent;
import dev.recsys.wire.FeedbackType;

class FeedbackBatchParserTest {

    static final long NOW = 1_700_000_000_000L;
    final ObjectMapper json = new ObjectMapper();
    final FeedbackBatchParser parser = new FeedbackBatchParser(3, new dev.recsys.wire.validation.WireLimits(8, 1000));

    JsonNode body(String s) throws Exception {
        return json.readTree(s);
    }

    ApiError rejected(String s) throws Exception {
        JsonNode b = body(s);
        return assertThrows(ApiError.class, () -> parser.parse(b, NOW));
    }

    @Test
    void fillsDefaultsAndKeepsGivenValues() throws Exception {
        List<FeedbackEvent> events = parser.parse(body("""
                [{"userId":"u1","itemId":"i1","type":"view"},
                 {"eventId":"e2","userId":"u2","itemId":"i2","type":"rating","value":4.5,"timestamp":5}]"""), NOW);
        assertEquals(2, events.size());
        assertNotNull(events.get(0).eventId());
        assertEquals(NOW, events.get(0).timestamp());
        assertNull(events.get(0).value());
        assertEquals(new FeedbackEvent("e2", "u2", "i2", FeedbackType.RATING, 4.5, 5), events.get(1));
    }

    @Test
    void namesEveryBadEventIndexAndField() throws Exception {
        ApiError e = rejected("""
                [{"userId":"u1","itemId":"i1","type":"view"},
                 {"itemId":"i1","type":"clik"},
                 {"userId":7,"itemId":"i1","type":"rating"}]""");
        assertEquals(400, e.status());
        assertEquals(4, e.violationCount());
        assertTrue(e.violations().contains(new Violation(1, "userId", "is required")));
        assertTrue(e.violations().stream().anyMatch(v -> v.index() == 1 && v.field().equals("type")
                && v.reason().contains("clik")));
        assertTrue(e.violations().stream().anyMatch(v -> v.index() == 2 && v.field().equals("userId")
                && v.reason().contains("must be a string")));
        assertTrue(e.violations().contains(new Violation(2, "value", "is required for a rating")));
    }

    @Test
    void rejectsWrongShapesAndTypes() throws Exception {
        assertEquals(400, rejected("{\"userId\":\"u\"}").status());
        assertEquals(400, rejected("[]").status());
        assertEquals(400, rejected("[1]").status());
        assertField(rejected("[{\"userId\":\"u\",\"itemId\":\"i\",\"type\":\"view\",\"value\":\"high\"}]"), "value");
        assertField(rejected("[{\"userId\":\"u\",\"itemId\":\"i\",\"type\":\"view\",\"timestamp\":1.5}]"), "timestamp");
        assertField(rejected("[{\"userId\":\"u\",\"itemId\":\"i\",\"type\":\"view\",\"timestamp\":-1}]"), "timestamp");
        assertField(rejected("[{\"userId\":\"u\",\"itemId\":\"i\",\"type\":\"view\",\"timestamp\":" + (NOW + 5000)
                + "}]"), "timestamp");
        assertField(rejected("[{\"userId\":\"u\",\"itemId\":\"i\",\"type\":\"View\"}]"), "type");
        assertField(rejected("[{\"userId\":\"u\",\"itemId\":\"i\",\"type\":\"view\",\"user\":\"x\"}]"), "user");
        assertField(rejected("[{\"userId\":\" \",\"itemId\":\"i\",\"type\":\"view\"}]"), "userId");
        assertField(rejected("[{\"userId\":\"u\",\"itemId\":\"a\\u0000b\",\"type\":\"view\"}]"), "itemId");
    }

    @Test
    void limitsIdLengthAndBatchSize() throws Exception {
        assertField(rejected("[{\"userId\":\"123456789\",\"itemId\":\"i\",\"type\":\"view\"}]"), "userId");
        ApiError tooMany = rejected("[" + "{\"userId\":\"u\",\"itemId\":\"i\",\"type\":\"view\"},".repeat(3)
                + "{\"userId\":\"u\",\"itemId\":\"i\",\"type\":\"view\"}]");
        assertEquals(413, tooMany.status());
        assertTrue(tooMany.getMessage().contains("limit is 3"));
    }

    static void assertField(ApiError e, String field) {
        assertEquals(400, e.status());
        assertTrue(e.violations().stream().anyMatch(v -> field.equals(v.field())),
                () -> "expected a violation of " + field + " in " + e.violations());
    }
}
