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
 * {@code POST /recommend-session}: {@code {items, k?, excludeSeen?, categories?, excludeItems?}} for an
 * anonymous visitor. The Transformer reads the posted sequence (oldest first); nothing is stored, and by
 * default the posted items are not returned.
 */
public class SessionFunction {

    static final Set<String> FIELDS = Set.of("items", "k", "excludeSeen", "categories", "excludeItems");

    @Inject
    WorkerClient worker;

    @Inject
    FunctionsConfig config;

    @Funq("recommend-session")
    public Uni<ScoreReply> recommendSession(JsonNode body) {
        return worker.ask(parse(body, config.ingest().maxIdLength()));
    }

    static ScoreRequest parse(JsonNode body, int maxIdLength) {
        Violations v = new Violations();
        Rejections.requireObject(body, "{items, k?, excludeSeen?, categories?, excludeItems?}",
                "invalid session request");
        v.rejectUnknown(null, body, FIELDS);
        List<String> items = v.ids(null, body, "items", true, WireLimits.MAX_SESSION_ITEMS, maxIdLength, false);
        Integer k = v.integer(null, body, "k", 1, WireLimits.MAX_K);
        Boolean excludeSeen = v.bool(null, body, "excludeSeen");
        RecommendFunction.Filters f = RecommendFunction.Filters.parse(v, body, maxIdLength);
        Rejections.throwIfAny(v, "invalid session request");
        return ScoreRequest.forSession(items, k == null ? WireLimits.DEFAULT_K : k,
                excludeSeen == null || excludeSeen, f.categories(), f.excludeItems());
    }
}
