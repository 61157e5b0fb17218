package dev.recsys.functions.http;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/** Collects what is wrong with a request body, field by field, and reads fields with their checks. */
public final class Violations {

    /** More than this many and the answer lists the first ones and the count. */
    static final int MAX_LISTED = 100;

    private final List<ApiError.Violation> listed = new ArrayList<>();
    private int count;

    public void add(Integer index, String field, String reason) {
        count++;
        if (listed.size() < MAX_LISTED) {
            listed.add(new ApiError.Violation(index, field, reason));
        }
    }

    public int count() {
        return count;
    }

    /** Throws a 400 naming every violation, if there is any. */
    public void throwIfAny(String message) {
        if (count > 0) {
            throw ApiError.badRequest(message, listed, count);
        }
    }

    /**
     * Checks the shape every batch body shares: a non-empty JSON array of at most {@code maxBatch} entries
     * (more is 413, not 400: the content may be fine, the request is too large).
     *
     * @param shape   what the array holds, for the message ("feedback events")
     * @param noun    one entry ("event")
     * @param message the error's headline
     */
    public static void requireBatch(JsonNode body, int maxBatch, String shape, String noun, String message) {
        Violations v = new Violations();
        if (body == null || !body.isArray()) {
            v.add(null, null, "the body must be a JSON array of " + shape
                    + (body == null || body.isNull() || body.isMissingNode() ? "" : ", not " + kind(body)));
            v.throwIfAny(message);
        }
        if (body.isEmpty()) {
            v.add(null, null, "the batch is empty; send at least one " + noun);
            v.throwIfAny(message);
        }
        if (body.size() > maxBatch) {
            throw new ApiError(413, "the batch has " + body.size() + " " + noun + "s; the limit is " + maxBatch
                    + " per request");
        }
    }

    /** Flags fields the request type does not have: a typo must not be silently ignored. */
    public void rejectUnknown(Integer index, JsonNode object, Set<String> known) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!known.contains(name)) {
                add(index, name, "unknown field; expected one of " + known);
            }
        }
    }

    /** An identifier: a non-blank string of at most maxLength characters without control characters. */
    public String id(Integer index, JsonNode object, String field, boolean required, int maxLength) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                add(index, field, "is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            add(index, field, "must be a string, not " + kind(v));
            return null;
        }
        String s = v.textValue();
        if (s.isBlank()) {
            add(index, field, "must not be blank");
            return null;
        }
        if (s.length() > maxLength) {
            add(index, field, "is " + s.length() + " characters long; the limit is " + maxLength);
            return null;
        }
        if (s.chars().anyMatch(Character::isISOControl)) {
            add(index, field, "must not contain control characters");
            return null;
        }
        return s;
    }

    /**
     * A list of identifiers, each checked like {@link #id}; duplicates are a violation when {@code unique}.
     *
     * @return null when the field is absent (and not required) or wrong
     */
    public List<String> ids(Integer index, JsonNode object, String field, boolean required, int maxItems,
            int maxLength, boolean unique) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                add(index, field, "is required: an array of 1 to " + maxItems + " ids");
            }
            return null;
        }
        if (!v.isArray()) {
            add(index, field, "must be an array of strings, not " + kind(v));
            return null;
        }
        if (required && v.isEmpty()) {
            add(index, field, "must not be empty");
            return null;
        }
        if (v.size() > maxItems) {
            add(index, field, "has " + v.size() + " entries; the limit is " + maxItems);
            return null;
        }
        List<String> out = new ArrayList<>(v.size());
        Set<String> distinct = new HashSet<>();
        int before = count;
        for (int i = 0; i < v.size(); i++) {
            String entry = field + "[" + i + "]";
            JsonNode e = v.get(i);
            if (e == null || !e.isTextual()) {
                add(index, entry, "must be a string, not " + kind(e));
                continue;
            }
            String s = e.textValue();
            if (s.isBlank() || s.length() > maxLength || s.chars().anyMatch(Character::isISOControl)) {
                add(index, entry, "must be a non-blank string of at most " + maxLength
                        + " characters without control characters");
                continue;
            }
            if (!distinct.add(s) && unique) {
                add(index, entry, "repeats '" + s + "'; each may appear once");
                continue;
            }
            out.add(s);
        }
        return count == before ? out : null;
    }

    public Integer integer(Integer index, JsonNode object, String field, int min, int max) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            add(index, field, "must be an integer from " + min + " to " + max + ", not " + kind(v));
            return null;
        }
        int i = v.intValue();
        if (i < min || i > max) {
            add(index, field, "must be from " + min + " to " + max + ", got " + i);
            return null;
        }
        return i;
    }

    /** Epoch milliseconds, non-negative and at most {@code maxSkewMillis} ahead of {@code now}; null if absent. */
    public Long timestamp(Integer index, JsonNode object, String field, long now, long maxSkewMillis) {
        JsonNode n = object.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0) {
            add(index, field, "must be epoch milliseconds (a non-negative integer), not " + kind(n));
            return null;
        }
        if (n.longValue() > now + maxSkewMillis) {
            add(index, field, "is in the future by more than " + maxSkewMillis + " ms");
            return null;
        }
        return n.longValue();
    }

    public Boolean bool(Integer index, JsonNode object, String field) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            add(index, field, "must be true or false, not " + kind(v));
            return null;
        }
        return v.booleanValue();
    }

    public static String kind(JsonNode v) {
        return switch (v.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> v.getNodeType().name().toLowerCase();
        };
    }
}
