package dev.recsys.functions;

import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import dev.recsys.functions.http.Rejections;
import dev.recsys.wire.validation.Violations;
import dev.recsys.wire.validation.WireLimits;
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
        Rejections.requireObject(body, "{userId, k?, excludeSeen?, categories?, excludeItems?}", "invalid recommend request");
        v.rejectUnknown(null, body, FIELDS);
        String userId = v.id(null, body, "userId", true, maxIdLength);
        Integer k = v.integer(null, body, "k", 1, WireLimits.MAX_K);
        Boolean excludeSeen = v.bool(null, body, "excludeSeen");
        Filters f = Filters.parse(v, body, maxIdLength);
        Rejections.throwIfAny(v, "invalid recommend request");
        return ScoreRequest.forUser(userId, k == null ? WireLimits.DEFAULT_K : k, excludeSeen == null || excludeSeen,
                f.categories(), f.excludeItems());
    }

    /** The filters every ranking request may carry; absent fields are empty lists. */
    record Filters(List<String> categories, List<String> excludeItems) {

        static Filters parse(Violations v, JsonNode body, int maxIdLength) {
            List<String> categories = v.ids(null, body, "categories", false, WireLimits.MAX_CATEGORIES, maxIdLength, false);
            List<String> exclude = v.ids(null, body, "excludeItems", false, WireLimits.MAX_EXCLUDED, maxIdLength, false);
            return new Filters(categories == null ? List.of() : categories, exclude == null ? List.of() : exclude);
        }
    }
}
