package dev.recsys.functions;

import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import dev.recsys.functions.http.Rejections;
import dev.recsys.wire.ScoreRequest;
import dev.recsys.wire.validation.Violations;
import dev.recsys.wire.validation.WireLimits;

/**
 * Reads the scoring calls' JSON bodies into {@link ScoreRequest}s: an object with known fields only, every
 * field checked, and all violations answered at once (400 naming each field).
 */
final class ScoreRequestReader {

    private final int maxIdLength;

    ScoreRequestReader(int maxIdLength) {
        this.maxIdLength = maxIdLength;
    }

    /** {@code POST /recommend}. */
    ScoreRequest user(JsonNode body) {
        return read(body, "recommend", "{userId, k?, excludeSeen?, categories?, excludeItems?, explain?}",
                Set.of("userId", "k", "excludeSeen", "categories", "excludeItems", "explain"), v -> {
                    String userId = v.id(null, body, "userId", true, maxIdLength);
                    Ranking r = ranking(v, body, true);
                    boolean explain = explain(v, body);
                    return () -> explained(ScoreRequest.forUser(userId, r.k(), r.excludeSeen(), r.categories(),
                            r.exclude()), explain);
                });
    }

    /** {@code POST /recommend-session}. */
    ScoreRequest session(JsonNode body) {
        return read(body, "session", "{items, k?, excludeSeen?, categories?, excludeItems?, explain?}",
                Set.of("items", "k", "excludeSeen", "categories", "excludeItems", "explain"), v -> {
                    List<String> items = v.ids(null, body, "items", true, WireLimits.MAX_SESSION_ITEMS,
                            maxIdLength, false);
                    Ranking r = ranking(v, body, true);
                    boolean explain = explain(v, body);
                    return () -> explained(ScoreRequest.forSession(items, r.k(), r.excludeSeen(), r.categories(),
                            r.exclude()), explain);
                });
    }

    /** {@code POST /rerank}. */
    ScoreRequest rerank(JsonNode body) {
        return read(body, "rerank", "{userId, candidates, explain?}", Set.of("userId", "candidates", "explain"), v -> {
            String userId = v.id(null, body, "userId", true, maxIdLength);
            List<String> candidates = v.ids(null, body, "candidates", true, WireLimits.MAX_CANDIDATES, maxIdLength,
                    true);
            boolean explain = explain(v, body);
            return () -> explained(ScoreRequest.rerank(userId, candidates), explain);
        });
    }

    /** {@code POST /similar-items}. */
    ScoreRequest similar(JsonNode body) {
        return read(body, "similar-items", "{itemId, k?, categories?, excludeItems?}",
                Set.of("itemId", "k", "categories", "excludeItems"), v -> {
                    String itemId = v.id(null, body, "itemId", true, maxIdLength);
                    Ranking r = ranking(v, body, false);
                    return () -> ScoreRequest.similarTo(itemId, r.k(), r.categories(), r.exclude());
                });
    }

    /**
     * @param fields reads the call's own fields into {@code v}; what it returns builds the request once no
     *               field was refused
     */
    private static ScoreRequest read(JsonNode body, String call, String shape, Set<String> known,
            Function<Violations, Supplier<ScoreRequest>> fields) {
        String refused = "invalid " + call + " request";
        Violations v = new Violations();
        Rejections.requireObject(body, shape, refused);
        v.rejectUnknown(null, body, known);
        Supplier<ScoreRequest> request = fields.apply(v);
        Rejections.throwIfAny(v, refused);
        return request.get();
    }

    private static boolean explain(Violations v, JsonNode body) {
        Boolean explain = v.bool(null, body, "explain");
        return explain != null && explain;
    }

    private static ScoreRequest explained(ScoreRequest request, boolean explain) {
        return explain ? request.explained() : request;
    }

    /** What every ranking call may carry: k, excludeSeen, and the filters; absent ones take their defaults. */
    private record Ranking(int k, boolean excludeSeen, List<String> categories, List<String> exclude) {
    }

    /** @param excludeSeen whether the call takes {@code excludeSeen} (similar items does not) */
    private Ranking ranking(Violations v, JsonNode body, boolean excludeSeen) {
        Integer k = v.integer(null, body, "k", 1, WireLimits.MAX_K);
        Boolean seen = excludeSeen ? v.bool(null, body, "excludeSeen") : null;
        List<String> categories = v.ids(null, body, "categories", false, WireLimits.MAX_CATEGORIES, maxIdLength, false);
        List<String> exclude = v.ids(null, body, "excludeItems", false, WireLimits.MAX_EXCLUDED, maxIdLength, false);
        return new Ranking(k == null ? WireLimits.DEFAULT_K : k, seen == null || seen,
                categories == null ? List.of() : categories, exclude == null ? List.of() : exclude);
    }
}
