package dev.recsys.functions;

import java.util.List;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import dev.recsys.functions.http.HttpStatus;
import dev.recsys.functions.kafka.EventLog;
import dev.recsys.wire.ItemUpdate;
import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;

/**
 * {@code POST /items}: a JSON array of item metadata, published all-or-nothing to the compacted
 * {@code items} topic keyed by item id. The worker's catalogue follows that topic, and rebuilds from it after
 * a restart.
 */
public class ItemsFunction {

    @Inject
    EventLog log;

    @Inject
    HttpStatus status;

    @Inject
    FunctionsConfig config;

    private volatile ItemBatchParser parser;

    @Funq("items")
    public Uni<ItemsResult> items(JsonNode body) {
        List<ItemUpdate> items = parser().parse(body, System.currentTimeMillis());
        status.onSuccess(202);
        return Publishing.publish(log.items(items), new ItemsResult(items.size()),
                config.ingest().brokerTimeout().multipliedBy(5),
                "retrying it is safe, an update replaces the item's metadata", java.util.Map.of());
    }

    private ItemBatchParser parser() {
        ItemBatchParser p = parser;
        if (p == null) {
            var ingest = config.ingest();
            p = parser = new ItemBatchParser(ingest.maxBatch(), ingest.limits());
        }
        return p;
    }

    /** @param accepted how many item updates were published */
    public record ItemsResult(int accepted) {
    }
}
