package dev.recsys.wire.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.recsys.wire.FeedbackEvent;
import dev.recsys.wire.FeedbackType;
import dev.recsys.wire.ScoreRequest;

class TopicRecordsTest {

    static final long NOW = 1_700_000_000_000L;
    final TopicRecords records = new TopicRecords(new WireLimits(16, 60_000));

    Checked<FeedbackEvent> feedback(String json) {
        return records.feedback(json.getBytes(StandardCharsets.UTF_8), NOW, () -> "default-id", 42L);
    }

    @Test
    void aValidEventGetsTheDefaultsItLacks() {
        Checked<FeedbackEvent> e = feedback("{\"userId\":\"u\",\"itemId\":\"i\",\"type\":\"rating\",\"value\":4.5}");
        assertTrue(e.ok(), e.reason());
        assertEquals(new FeedbackEvent("default-id", "u", "i", FeedbackType.RATING, 4.5, 42L), e.value());
    }

    @Test
    void eachRuleNamesItsField() {
        assertRefused("{\"userId\":\"u\",\"itemId\":\"\",\"type\":\"view\"}", "itemId", "blank");
        assertRefused("{\"userId\":\"u\",\"itemId\":\"i\",\"type\":\"VIEW\"}", "type", "unknown type 'VIEW'");
        assertRefused("{\"userId\":\"u\",\"itemId\":\"i\",\"type\":\"view\",\"timestamp\":" + Long.MAX_VALUE + "}",
                "timestamp", "future");
        assertRefused("{\"userId\":\"u\",\"itemId\":\"i\",\"type\":\"view\",\"colour\":1}", "colour", "unknown field");
        assertRefused("{\"userId\":\"" + "x".repeat(17) + "\",\"itemId\":\"i\",\"type\":\"view\"}", "userId", "limit is 16");
        assertRefused("{\"userId\":\"u\\ud800\",\"itemId\":\"i\",\"type\":\"view\"}", "userId", "lone surrogate");
        assertRefused("{\"userId\":\"u\\u202e\",\"itemId\":\"i\",\"type\":\"view\"}", "userId", "bidi");
        assertRefused("{\"userId\":\"u\\u200b\",\"itemId\":\"i\",\"type\":\"view\"}", "userId", "zero-width");
        assertRefused("{\"userId\":\"u\\n\",\"itemId\":\"i\",\"type\":\"view\"}", "userId", "control");
        assertRefused("{\"userId\":\"u\",\"itemId\":\"m\\u2028\",\"type\":\"view\"}", "itemId", "line or paragraph");
        assertRefused("{\"userId\":\"u\",\"itemId\":\"m\\u2029\",\"type\":\"view\"}", "itemId", "line or paragraph");
        assertRefused("{\"userId\":\"u\",\"itemId\":\"m\\ufffe\",\"type\":\"view\"}", "itemId", "non-character");
        assertRefused("{\"userId\":\"u\",\"itemId\":\"m\\ufdd0\",\"type\":\"view\"}", "itemId", "non-character");
        assertRefused("{\"userId\":\"u\",\"itemId\":\"m\\ud83f\\udfff\",\"type\":\"view\"}", "itemId", "non-character");
        assertRefused("{\"userId\":\"u\",\"itemId\":\"i\",\"type\":\"rating\",\"value\":1e400}", "value", "finite");
        assertRefused("{\"userId\":\"u\",\"userId\":\"v\",\"itemId\":\"i\",\"type\":\"view\"}", "body", "valid JSON");
        assertRefused("{\"userId\":\"u\",\"itemId\":\"i\",\"type\":\"view\"} []", "body", "valid JSON");
        assertRefused("[1]", "body", "JSON object");
        assertRefused("", "body", "empty");
        Checked<FeedbackEvent> tombstone = records.feedback(null, NOW, () -> "x", 1);
        assertEquals("body", tombstone.field());
    }

    @Test
    void anIdOutsideTheBasicPlaneIsText() {
        // An emoji is a valid surrogate pair, not a lone surrogate.
        assertTrue(feedback("{\"userId\":\"u\\ud83d\\ude00\",\"itemId\":\"i\",\"type\":\"view\"}").ok());
        assertNull(IdRule.problem("caf\u00e9", 16));
        assertNull(IdRule.problem("\ufdcf\ufdf0\ufffd", 16), "next to the non-characters, and the replacement character");
    }

    @Test
    void aClientsStringIsQuotedOnOneLineWithNothingHidden() {
        String hostile = "a\u2028b\u2029c\nd\u202ee\ufffff\ud800";
        assertEquals("a\\u2028b\\u2029c\\u000Ad\\u202Ee\\uFFFFf\\uD800", Printable.of(hostile, 64));
        assertEquals("ab...", Printable.of("abc", 2));
        // The name of an unknown field is the client's: quoted safely in the reason and the field.
        Checked<FeedbackEvent> e = feedback("{\"userId\":\"u\",\"itemId\":\"i\",\"type\":\"view\",\"f\\u2028\":1}");
        assertEquals("f\\u2028", e.field());
    }

    @Test
    void scoreRequestsNeedWhatTheirKindNeeds() {
        assertTrue(request("{\"kind\":\"USER\",\"userId\":\"u\",\"k\":3,\"excludeSeen\":true,\"items\":[]}").ok());
        assertEquals("userId", request("{\"kind\":\"USER\",\"userId\":null,\"k\":3}").field());
        assertEquals("items", request("{\"kind\":\"SESSION\",\"k\":3}").field());
        assertEquals("items[]", request("{\"kind\":\"RERANK\",\"userId\":\"u\",\"items\":[\"a\",\"a\"]}").field());
        assertEquals("k", request("{\"userId\":\"u\",\"k\":101}").field());
        assertEquals("kind", request("{\"kind\":\"ALL\",\"userId\":\"u\",\"k\":3}").field());
        assertEquals("itemId", request("{\"kind\":\"SIMILAR\",\"k\":3}").field());
        Checked<ScoreRequest> rerank = request("{\"kind\":\"RERANK\",\"userId\":\"u\",\"items\":[\"a\",\"b\"]}");
        assertEquals(2, rerank.value().k());
    }

    @Test
    void aRequestTheFunctionsWriteReadsBackUnchanged() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (ScoreRequest r : new ScoreRequest[] {
                ScoreRequest.forUser("u", 10, true, java.util.List.of("c"), java.util.List.of("x")),
                ScoreRequest.forSession(java.util.List.of("a", "b"), 5, false, null, null),
                ScoreRequest.rerank("u", java.util.List.of("a", "b", "c")),
                ScoreRequest.similarTo("a", 7, null, java.util.List.of("b")),
                ScoreRequest.forUser("u", 10, true, null, null).explained(),
                ScoreRequest.rerank("u", java.util.List.of("a")).explained() }) {
            Checked<ScoreRequest> read = records.scoreRequest(json.writeValueAsBytes(r));
            assertTrue(read.ok(), read.reason());
            assertEquals(r, read.value());
            // Only an explained request says so: the others read the same to a worker that predates explain.
            assertEquals(r.explain(), json.writeValueAsString(r).contains("\"explain\""));
        }
        assertFalse(request("{\"kind\":\"SIMILAR\",\"itemId\":\"a\",\"k\":3,\"explain\":true}").ok());
    }

    @Test
    void randomBytesAreRefusedNeverThrown() {
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] noise = new byte[random.nextInt(300)];
            random.nextBytes(noise);
            Checked<FeedbackEvent> e = records.feedback(noise, NOW, () -> "x", 1);
            assertFalse(e.ok());
            assertFalse(e.reason().isBlank());
            assertFalse(records.scoreRequest(noise).ok());
            assertFalse(records.itemUpdate(noise, NOW, 1).ok());
        }
    }

    private Checked<ScoreRequest> request(String json) {
        return records.scoreRequest(json.getBytes(StandardCharsets.UTF_8));
    }

    private void assertRefused(String json, String field, String reasonPart) {
        Checked<FeedbackEvent> e = feedback(json);
        assertFalse(e.ok(), json);
        assertEquals(field, e.field(), json + ": " + e.reason());
        assertTrue(e.reason().contains(reasonPart), json + ": " + e.reason());
    }
}
