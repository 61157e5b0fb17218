package dev.recsys.functions;

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
 * {@code POST /similar-items}: {@code {itemId, k?, categories?, excludeItems?}}: the items whose learned
 * embeddings are closest (cosine) to the item's, never itself or a hidden item. An item the model has no
 * embedding for is 404 naming {@code itemId}.
 */
public class SimilarItemsFunction {

    static final Set<String> FIELDS = Set.of("itemId", "k", "categories", "excludeItems");

    @Inject
    WorkerClient worker;

    @Inject
    FunctionsConfig config;

    @Funq("similar-items")
    public Uni<ScoreReply> similarItems(JsonNode body) {
        return worker.ask(parse(body, config.ingest().maxIdLength()));
    }

    static ScoreRequest parse(JsonNode body, int maxIdLength) {
        Violations v = new Violations();
        Rejections.requireObject(body, "{itemId, k?, categories?, excludeItems?}",
                "invalid similar-items request");
        v.rejectUnknown(null, body, FIELDS);
        String itemId = v.id(null, body, "itemId", true, maxIdLength);
        Integer k = v.integer(null, body, "k", 1, WireLimits.MAX_K);
        RecommendFunction.Filters f = RecommendFunction.Filters.parse(v, body, maxIdLength);
        Rejections.throwIfAny(v, "invalid similar-items request");
        return ScoreRequest.similarTo(itemId, k == null ? WireLimits.DEFAULT_K : k, f.categories(),
                f.excludeItems());
    }
}
