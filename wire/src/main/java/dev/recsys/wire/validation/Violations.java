package dev.recsys.wire.validation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Collects what is wrong with a record or request body, field by field, and reads fields with their checks.
 * The HTTP functions and the worker's topic readers share it, so a refusal reads the same on both doors.
 */
public final class Violations {

    /** The field named when the whole object (or batch entry) is wrong rather than one of its fields. */
    public static final String BODY = "body";
    /** More than this many and the answer lists the first ones and the count. */
    public static final int MAX_LISTED = 100;

    private final List<Violation> listed = new ArrayList<>();
    private int count;

    public void add(Integer index, String field, String reason) {
        count++;
        if (listed.size() < MAX_LISTED) {
            listed.add(new Violation(index, field == null ? BODY : field, reason));
        }
    }

    public int count() {
        return count;
    }

    /** The first {@link #MAX_LISTED} violations, in the order they were found. */
    public List<Violation> listed() {
        return List.copyOf(listed);
    }

    /** Flags fields the request type does not have: a typo must not be silently ignored. */
    public void rejectUnknown(Integer index, JsonNode object, Set<String> known) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!known.contains(name)) {
                // The name is the client's: quoted when empty, escaped when it holds what a log must not.
                add(index, name.isEmpty() ? "\"\"" : Printable.of(name, 64),
                        "unknown field; expected one of " + known);
            }
        }
    }

    /** An identifier: a string {@link IdRule} accepts. */
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
        String problem = IdRule.problem(s, maxLength);
        if (problem != null) {
            add(index, field, problem);
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
            String problem = IdRule.problem(s, maxLength);
            if (problem != null) {
                add(index, entry, problem);
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
