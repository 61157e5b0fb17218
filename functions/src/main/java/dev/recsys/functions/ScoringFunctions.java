package dev.recsys.functions;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;

import dev.recsys.functions.config.FunctionsConfig;
import dev.recsys.wire.ScoreReply;

/**
 * The scoring calls. Each body is read into a {@code ScoreRequest} ({@link ScoreRequestReader}) and sent to
 * the worker over Kafka request-reply ({@link WorkerClient}); its answer comes back as is. Hidden items are
 * never returned.
 */
public class ScoringFunctions {

    @Inject
    WorkerClient worker;

    @Inject
    FunctionsConfig config;

    private volatile ScoreRequestReader reader;

    /** {@code POST /recommend}: {@code {userId, k?, excludeSeen?, categories?, excludeItems?}}. */
    @Funq("recommend")
    public Uni<ScoreReply> recommend(JsonNode body) {
        return worker.ask(reader().user(body));
    }

    /**
     * {@code POST /recommend-session}: {@code {items, k?, excludeSeen?, categories?, excludeItems?}} for an
     * anonymous visitor. The Transformer reads the posted sequence (oldest first); nothing is stored, and by
     * default the posted items are not returned.
     */
    @Funq("recommend-session")
    public Uni<ScoreReply> recommendSession(JsonNode body) {
        return worker.ask(reader().session(body));
    }

    /**
     * {@code POST /rerank}: {@code {userId, candidates}} comes back as the candidates ordered by the model's
     * score for the user; candidates the model does not know go last with {@code unknown: true}, hidden ones
     * are left out and listed in {@code hiddenCandidates}. Every candidate is accounted for exactly once.
     */
    @Funq("rerank")
    public Uni<ScoreReply> rerank(JsonNode body) {
        return worker.ask(reader().rerank(body));
    }

    /**
     * {@code POST /similar-items}: {@code {itemId, k?, categories?, excludeItems?}}: the items nearest by the
     * model's embeddings, or by co-occurrence without a model; an item neither knows is 404 naming
     * {@code itemId}.
     */
    @Funq("similar-items")
    public Uni<ScoreReply> similarItems(JsonNode body) {
        return worker.ask(reader().similar(body));
    }

    private ScoreRequestReader reader() {
        ScoreRequestReader r = reader;
        if (r == null) {
            r = reader = new ScoreRequestReader(config.ingest().maxIdLength());
        }
        return r;
    }
}
