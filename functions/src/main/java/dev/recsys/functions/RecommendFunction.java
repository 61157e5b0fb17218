package dev.recsys.functions;

import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import dev.recsys.functions.http.Violations;
import dev.recsys.wire.ScoreReply;
import dev.recsys.wire.ScoreRequest;
import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;

/**
 * {@code POST /recommend}: {@code {userId, k?, excludeSeen?, categories?, excludeItems?}} is sent to the
 * worker over Kafka request-reply; its answer comes back as is. Hidden items are never returned.
 */
public class RecommendFunction {

    static final Set<String> FIELDS = Set.of("userId", "k", "excludeSeen", "categories", "excludeItems");
    static final int MAX_K = 100;
    static final int DEFAULT_K = 10;
    /** Filters stay small enough that a request is one Kafka record of a few kilobytes. */
    static final int MAX_CATEGORIES = 50;
    static final int MAX_EXCLUDED = 500;

    @Inject
    WorkerClient worker;

    @Inject
    FunctionsConfig config;

    @Funq("recommend")
    public Uni<ScoreReply> recommend(JsonNode body) {
        return worker.ask(parse(body, config.ingest().maxIdLength()));
    }

    static ScoreRequest parse(JsonNode body, int maxIdLength) {
        Violations v = new Violations();
        requireObject(v, body, "{userId, k?, excludeSeen?, categories?, excludeItems?}", "invalid recommend request");
        v.rejectUnknown(null, body, FIELDS);
        String userId = v.id(null, body, "userId", true, maxIdLength);
        Integer k = v.integer(null, body, "k", 1, MAX_K);
        Boolean excludeSeen = v.bool(null, body, "excludeSeen");
        Filters f = Filters.parse(v, body, maxIdLength);
        v.throwIfAny("invalid recommend request");
        return ScoreRequest.forUser(userId, k == null ? DEFAULT_K : k, excludeSeen == null || excludeSeen,
                f.categories(), f.excludeItems());
    }

    /** Stops at once when the body is not an object: nothing else can be checked then. */
    static void requireObject(Violations v, JsonNode body, String shape, String message) {
        if (body == null || !body.isObject()) {
            v.add(null, null, "the body must be a JSON object " + shape
                    + (body == null ? "" : ", not " + Violations.kind(body)));
            v.throwIfAny(message);
        }
    }

    /** The filters every ranking request may carry; absent fields are empty lists. */
    record Filters(List<String> categories, List<String> excludeItems) {

        static Filters parse(Violations v, JsonNode body, int maxIdLength) {
            List<String> categories = v.ids(null, body, "categories", false, MAX_CATEGORIES, maxIdLength, false);
            List<String> exclude = v.ids(null, body, "excludeItems", false, MAX_EXCLUDED, maxIdLength, false);
            return new Filters(categories == null ? List.of() : categories, exclude == null ? List.of() : exclude);
        }
    }
}
