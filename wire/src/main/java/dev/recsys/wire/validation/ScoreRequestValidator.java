package dev.recsys.wire.validation;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.recsys.wire.ScoreRequest;
import dev.recsys.wire.ScoreRequest.Kind;

/**
 * The rules for a score request as it travels on {@code score-requests}: what each kind needs and nothing it
 * does not, ids per {@link IdRule}, {@code k} and every list within the bounds the HTTP functions apply to
 * the bodies they turn into these requests.
 */
public final class ScoreRequestValidator {

    public static final Set<String> FIELDS = Set.of("kind", "userId", "items", "itemId", "k", "excludeSeen",
            "categories", "excludeItems", "explain");
    private static final String KINDS = Arrays.toString(Kind.values());

    private final WireLimits limits;

    public ScoreRequestValidator(WireLimits limits) {
        this.limits = limits;
    }

    /** The request, or null when anything is wrong (each problem added to {@code v}). */
    public ScoreRequest read(JsonNode node, Violations v) {
        if (node == null || !node.isObject()) {
            v.add(null, null, "a score request must be a JSON object, not "
                    + (node == null ? "nothing" : Violations.kind(node)));
            return null;
        }
        int before = v.count();
        v.rejectUnknown(null, node, FIELDS);
        Kind kind = kind(node, v);
        if (kind == null) {
            return null;
        }
        int max = limits.maxIdLength();
        boolean needsUser = kind == Kind.USER || kind == Kind.RERANK;
        String userId = v.id(null, node, "userId", needsUser, max);
        String itemId = v.id(null, node, "itemId", kind == Kind.SIMILAR, max);
        List<String> items = switch (kind) {
            case SESSION -> v.ids(null, node, "items", true, WireLimits.MAX_SESSION_ITEMS, max, false);
            case RERANK -> v.ids(null, node, "items", true, WireLimits.MAX_CANDIDATES, max, true);
            default -> {
                JsonNode given = node.get("items");
                if (given != null && !given.isNull() && !(given.isArray() && given.isEmpty())) {
                    v.add(null, "items", "is not used by a " + kind + " request");
                }
                yield List.of();
            }
        };
        Integer k = kind == Kind.RERANK ? v.integer(null, node, "k", 0, WireLimits.MAX_CANDIDATES)
                : v.integer(null, node, "k", 1, WireLimits.MAX_K);
        if (k == null && kind != Kind.RERANK && !node.has("k")) {
            v.add(null, "k", "is required: an integer from 1 to " + WireLimits.MAX_K);
        }
        Boolean excludeSeen = v.bool(null, node, "excludeSeen");
        Boolean explain = v.bool(null, node, "explain");
        if (kind == Kind.SIMILAR && explain != null && explain) {
            v.add(null, "explain", "is not offered for a SIMILAR request");
        }
        List<String> categories = v.ids(null, node, "categories", false, WireLimits.MAX_CATEGORIES, max, false);
        List<String> excluded = v.ids(null, node, "excludeItems", false, WireLimits.MAX_EXCLUDED, max, false);
        if (!needsUser && node.hasNonNull("userId")) {
            v.add(null, "userId", "is not used by a " + kind + " request");
        }
        if (kind != Kind.SIMILAR && node.hasNonNull("itemId")) {
            v.add(null, "itemId", "is not used by a " + kind + " request");
        }
        if (v.count() != before) {
            return null;
        }
        int size = kind == Kind.RERANK ? items.size() : k;
        return new ScoreRequest(kind, userId, items, itemId, size, excludeSeen != null && excludeSeen, categories,
                excluded, explain != null && explain);
    }

    private static Kind kind(JsonNode node, Violations v) {
        JsonNode k = node.get("kind");
        if (k == null || k.isNull()) {
            return Kind.USER;
        }
        if (k.isTextual()) {
            for (Kind kind : Kind.values()) {
                if (kind.name().equals(k.textValue())) {
                    return kind;
                }
            }
        }
        v.add(null, "kind", "must be one of " + KINDS + ", not "
                + (k.isTextual() ? "'" + Printable.of(k.textValue(), 40) + "'" : Violations.kind(k)));
        return null;
    }
}
