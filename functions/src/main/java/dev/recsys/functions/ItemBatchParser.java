package dev.recsys.functions;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.recsys.functions.http.Violations;
import dev.recsys.wire.ItemUpdate;

/**
 * Turns an items body (a JSON array of {@code {itemId, categories?, hidden?, timestamp?}}) into
 * {@link ItemUpdate}s, or rejects the whole batch naming every bad entry's index, field and reason. Each
 * update replaces what is known of the item: absent categories mean none, absent hidden means visible.
 */
public final class ItemBatchParser {

    static final Set<String> FIELDS = Set.of("itemId", "categories", "hidden", "timestamp");
    static final int MAX_CATEGORIES = 50;

    private final int maxBatch;
    private final int maxIdLength;
    private final long maxSkewMillis;

    public ItemBatchParser(int maxBatch, int maxIdLength, long maxSkewMillis) {
        this.maxBatch = maxBatch;
        this.maxIdLength = maxIdLength;
        this.maxSkewMillis = maxSkewMillis;
    }

    public List<ItemUpdate> parse(JsonNode body, long now) {
        Violations.requireBatch(body, maxBatch, "items {itemId, categories?, hidden?, timestamp?}", "item",
                "invalid item batch");
        Violations v = new Violations();
        List<ItemUpdate> items = new ArrayList<>(body.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < body.size(); i++) {
            JsonNode node = body.get(i);
            if (!node.isObject()) {
                v.add(i, null, "each item must be a JSON object, not " + Violations.kind(node));
                continue;
            }
            int before = v.count();
            v.rejectUnknown(i, node, FIELDS);
            String itemId = v.id(i, node, "itemId", true, maxIdLength);
            List<String> categories = v.ids(i, node, "categories", false, MAX_CATEGORIES, maxIdLength, true);
            Boolean hidden = v.bool(i, node, "hidden");
            Long timestamp = v.timestamp(i, node, "timestamp", now, maxSkewMillis);
            if (itemId != null && !seen.add(itemId)) {
                // Within one batch the later entry would win silently; the client most likely erred.
                v.add(i, "itemId", "'" + itemId + "' appears more than once in the batch");
            }
            if (v.count() == before) {
                items.add(new ItemUpdate(itemId, categories, hidden != null && hidden,
                        timestamp != null ? timestamp : now));
            }
        }
        v.throwIfAny("invalid item batch: nothing of it was accepted");
        return items;
    }
}
