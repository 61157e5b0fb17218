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
 * {@code POST /rerank}: {@code {userId, candidates}} comes back as the candidates ordered by the model's
 * score for the user; candidates the model does not know go last with {@code unknown: true}, hidden ones
 * are left out and listed in {@code hiddenCandidates}. Every candidate is accounted for exactly once.
 */
public class RerankFunction {

    static final Set<String> FIELDS = Set.of("userId", "candidates");

    @Inject
    WorkerClient worker;

    @Inject
    FunctionsConfig config;

    @Funq("rerank")
    public Uni<ScoreReply> rerank(JsonNode body) {
        return worker.ask(parse(body, config.ingest().maxIdLength()));
    }

    static ScoreRequest parse(JsonNode body, int maxIdLength) {
        Violations v = new Violations();
        Rejections.requireObject(body, "{userId, candidates}", "invalid rerank request");
        v.rejectUnknown(null, body, FIELDS);
        String userId = v.id(null, body, "userId", true, maxIdLength);
        List<String> candidates = v.ids(null, body, "candidates", true, WireLimits.MAX_CANDIDATES, maxIdLength, true);
        Rejections.throwIfAny(v, "invalid rerank request");
        return ScoreRequest.rerank(userId, candidates);
    }
}
