package dev.recsys.functions;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.recsys.functions.http.Rejections;
import dev.recsys.wire.ItemUpdate;
import dev.recsys.wire.validation.ItemUpdateValidator;
import dev.recsys.wire.validation.Violations;
import dev.recsys.wire.validation.WireLimits;

/**
 * Turns an items body (a JSON array of {@code {itemId, categories?, hidden?, timestamp?}}) into
 * {@link ItemUpdate}s, or rejects the whole batch naming every bad entry's index, field and reason. Each
 * update replaces what is known of the item: absent categories mean none, absent hidden means visible. The
 * rules are {@link ItemUpdateValidator}'s, the worker's for records on the topic.
 */
public final class ItemBatchParser {

    private final int maxBatch;
    private final ItemUpdateValidator validator;

    public ItemBatchParser(int maxBatch, WireLimits limits) {
        this.maxBatch = maxBatch;
        this.validator = new ItemUpdateValidator(limits);
    }

    public List<ItemUpdate> parse(JsonNode body, long now) {
        Rejections.requireBatch(body, maxBatch, "items {itemId, categories?, hidden?, timestamp?}", "item",
                "invalid item batch");
        Violations v = new Violations();
        List<ItemUpdate> items = new ArrayList<>(body.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < body.size(); i++) {
            ItemUpdate u = validator.read(i, body.get(i), now, now, v);
            if (u == null) {
                continue;
            }
            if (!seen.add(u.itemId())) {
                // Within one batch the later entry would win silently; the client most likely erred.
                v.add(i, "itemId", "'" + u.itemId() + "' appears more than once in the batch");
                continue;
            }
            items.add(u);
        }
        Rejections.throwIfAny(v, "invalid item batch: nothing of it was accepted");
        return items;
    }
}
