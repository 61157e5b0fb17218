package dev.recsys.functions.http;

import com.fasterxml.jackson.databind.JsonNode;

import dev.recsys.wire.validation.Violation;
import dev.recsys.wire.validation.Violations;

/** Turns what the wire validators found into the HTTP answers the functions give. */
public final class Rejections {

    private Rejections() {
    }

    /** Throws a 400 naming every violation, if there is any. */
    public static void throwIfAny(Violations v, String message) {
        if (v.count() > 0) {
            throw ApiError.badRequest(message, v.listed(), v.count());
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
                    + (body == null || body.isNull() || body.isMissingNode() ? "" : ", not " + Violations.kind(body)));
            throwIfAny(v, message);
        }
        if (body.isEmpty()) {
            v.add(null, null, "the batch is empty; send at least one " + noun);
            throwIfAny(v, message);
        }
        if (body.size() > maxBatch) {
            String why = "the batch has " + body.size() + " " + noun + "s; the limit is " + maxBatch + " per request";
            throw new ApiError(413, why, java.util.List.of(new Violation(null, Violations.BODY, why)), 1);
        }
    }

    /** Stops at once when the body is not an object: nothing else can be checked then. */
    public static void requireObject(JsonNode body, String shape, String message) {
        if (body == null || !body.isObject()) {
            Violations v = new Violations();
            v.add(null, null, "the body must be a JSON object " + shape
                    + (body == null ? "" : ", not " + Violations.kind(body)));
            throwIfAny(v, message);
        }
    }
}
