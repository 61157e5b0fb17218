package dev.recsys.functions;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import dev.recsys.functions.http.Violations;
import dev.recsys.wire.FeedbackEvent;
import dev.recsys.wire.FeedbackType;

/**
 * Turns an ingest body (a JSON array of events) into {@link FeedbackEvent}s, or rejects the whole batch
 * naming every bad event's index, field and reason.
 */
public final class FeedbackBatchParser {

    static final Set<String> FIELDS = Set.of("eventId", "userId", "itemId", "type", "value", "timestamp");

    private final int maxBatch;
    private final int maxIdLength;
    private final long maxSkewMillis;

    public FeedbackBatchParser(int maxBatch, int maxIdLength, long maxSkewMillis) {
        this.maxBatch = maxBatch;
        this.maxIdLength = maxIdLength;
        this.maxSkewMillis = maxSkewMillis;
    }

    public List<FeedbackEvent> parse(JsonNode body, long now) {
        Violations.requireBatch(body, maxBatch, "feedback events", "event", "invalid feedback batch");
        Violations v = new Violations();
        List<FeedbackEvent> events = new ArrayList<>(body.size());
        for (int i = 0; i < body.size(); i++) {
            FeedbackEvent e = event(i, body.get(i), now, v);
            if (e != null) {
                events.add(e);
            }
        }
        v.throwIfAny("invalid feedback batch: nothing of it was accepted");
        return events;
    }

    private FeedbackEvent event(int i, JsonNode node, long now, Violations v) {
        if (!node.isObject()) {
            v.add(i, null, "each event must be a JSON object, not " + Violations.kind(node));
            return null;
        }
        int before = v.count();
        v.rejectUnknown(i, node, FIELDS);
        String eventId = v.id(i, node, "eventId", false, maxIdLength);
        String userId = v.id(i, node, "userId", true, maxIdLength);
        String itemId = v.id(i, node, "itemId", true, maxIdLength);
        FeedbackType type = type(i, node, v);
        Double value = value(i, node, type, v);
        Long timestamp = v.timestamp(i, node, "timestamp", now, maxSkewMillis);
        if (v.count() != before) {
            return null;
        }
        return new FeedbackEvent(eventId != null ? eventId : UUID.randomUUID().toString(), userId, itemId, type,
                value, timestamp != null ? timestamp : now);
    }

    private static FeedbackType type(int i, JsonNode node, Violations v) {
        JsonNode t = node.get("type");
        if (t == null || t.isNull()) {
            v.add(i, "type", "is required; one of " + FeedbackType.NAMES);
            return null;
        }
        if (!t.isTextual()) {
            v.add(i, "type", "must be a string, one of " + FeedbackType.NAMES);
            return null;
        }
        var parsed = FeedbackType.parse(t.textValue());
        if (parsed.isEmpty()) {
            v.add(i, "type", "unknown type '" + t.textValue() + "'; one of " + FeedbackType.NAMES);
            return null;
        }
        return parsed.get();
    }

    private static Double value(int i, JsonNode node, FeedbackType type, Violations v) {
        JsonNode n = node.get("value");
        if (n == null || n.isNull()) {
            if (type == FeedbackType.RATING) {
                v.add(i, "value", "is required for a rating");
            }
            return null;
        }
        if (!n.isNumber() || !Double.isFinite(n.doubleValue())) {
            v.add(i, "value", "must be a finite number, not " + Violations.kind(n));
            return null;
        }
        return n.doubleValue();
    }
}
