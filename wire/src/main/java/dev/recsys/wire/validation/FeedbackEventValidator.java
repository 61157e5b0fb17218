package dev.recsys.wire.validation;

import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import dev.recsys.wire.FeedbackEvent;
import dev.recsys.wire.FeedbackType;

/**
 * The rules for one feedback event, as the ingest function reads it from a request body and the worker
 * from the {@code feedback} topic: known fields only, ids per {@link IdRule}, a known lower-case type, a
 * finite value in range (required for a rating), a timestamp from the epoch to {@code maxClockSkew} ahead.
 */
public final class FeedbackEventValidator {

    public static final Set<String> FIELDS = Set.of("eventId", "userId", "itemId", "type", "value", "timestamp");

    private final WireLimits limits;

    public FeedbackEventValidator(WireLimits limits) {
        this.limits = limits;
    }

    /**
     * The event, or null when anything is wrong (each problem added to {@code v}).
     *
     * @param eventId   the id to give an event that has none
     * @param timestamp the timestamp to give an event that has none
     */
    public FeedbackEvent read(Integer index, JsonNode node, long now, Supplier<String> eventId, long timestamp,
            Violations v) {
        if (node == null || !node.isObject()) {
            v.add(index, null, "an event must be a JSON object, not " + (node == null ? "nothing" : Violations.kind(node)));
            return null;
        }
        int before = v.count();
        v.rejectUnknown(index, node, FIELDS);
        String id = v.id(index, node, "eventId", false, limits.maxIdLength());
        String userId = v.id(index, node, "userId", true, limits.maxIdLength());
        String itemId = v.id(index, node, "itemId", true, limits.maxIdLength());
        FeedbackType type = type(index, node, v);
        Double value = value(index, node, type, v);
        Long at = v.timestamp(index, node, "timestamp", now, limits.maxClockSkewMillis());
        if (v.count() != before) {
            return null;
        }
        return new FeedbackEvent(id != null ? id : eventId.get(), userId, itemId, type, value,
                at != null ? at : timestamp);
    }

    private static FeedbackType type(Integer index, JsonNode node, Violations v) {
        JsonNode t = node.get("type");
        if (t == null || t.isNull()) {
            v.add(index, "type", "is required; one of " + FeedbackType.NAMES);
            return null;
        }
        if (!t.isTextual()) {
            v.add(index, "type", "must be a string, one of " + FeedbackType.NAMES);
            return null;
        }
        var parsed = FeedbackType.parse(t.textValue());
        if (parsed.isEmpty()) {
            v.add(index, "type", "unknown type '" + printable(t.textValue()) + "'; one of " + FeedbackType.NAMES);
            return null;
        }
        return parsed.get();
    }

    private static Double value(Integer index, JsonNode node, FeedbackType type, Violations v) {
        JsonNode n = node.get("value");
        if (n == null || n.isNull()) {
            if (type == FeedbackType.RATING) {
                v.add(index, "value", "is required for a rating");
            }
            return null;
        }
        if (!n.isNumber() || !Double.isFinite(n.doubleValue())) {
            v.add(index, "value", "must be a finite number" + (n.isNumber() ? "" : ", not " + Violations.kind(n)));
            return null;
        }
        if (Math.abs(n.doubleValue()) > WireLimits.MAX_VALUE) {
            v.add(index, "value", "must be from -" + WireLimits.MAX_VALUE + " to " + WireLimits.MAX_VALUE);
            return null;
        }
        return n.doubleValue();
    }

    /** Echoes a client's text in a message without letting it forge lines or grow the message. */
    static String printable(String s) {
        return Printable.of(s, 40);
    }
}
