package dev.recsys.wire.validation;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.recsys.wire.ForgetUser;

/** The rules for a {@link ForgetUser}, from HTTP or from the topic: a user id, and when it was asked. */
public final class ForgetUserValidator {

    static final Set<String> FIELDS = Set.of("userId", "requestedAt");

    private final WireLimits limits;

    public ForgetUserValidator(WireLimits limits) {
        this.limits = limits;
    }

    /**
     * @param now when a request without {@code requestedAt} was asked (the HTTP call's time)
     * @return the request, or null when anything is wrong (each problem added to {@code v})
     */
    public ForgetUser read(JsonNode node, long now, Violations v) {
        if (node == null || !node.isObject()) {
            v.add(null, null, "a forget-user request must be a JSON object {userId}, not "
                    + (node == null ? "nothing" : Violations.kind(node)));
            return null;
        }
        int before = v.count();
        v.rejectUnknown(null, node, FIELDS);
        String userId = v.id(null, node, "userId", true, limits.maxIdLength());
        // Only a record of when it was asked (the log's order decides what it covers): never in the future.
        Long at = v.timestamp(null, node, "requestedAt", now,
                Math.min(limits.maxClockSkewMillis(), WireLimits.MAX_SERVER_CLOCK_SKEW_MILLIS));
        return v.count() == before ? new ForgetUser(userId, at == null ? now : at) : null;
    }
}
