package dev.recsys.wire.validation;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.recsys.wire.ItemUpdate;

/**
 * The rules for one item update, as the items function reads it from a request body and the worker from the
 * {@code items} topic: known fields only, an item id and distinct category ids per {@link IdRule}, a boolean
 * {@code hidden}, a timestamp from the epoch to {@code maxClockSkew} ahead.
 */
public final class ItemUpdateValidator {

    public static final Set<String> FIELDS = Set.of("itemId", "categories", "hidden", "timestamp");

    private final WireLimits limits;

    public ItemUpdateValidator(WireLimits limits) {
        this.limits = limits;
    }

    /** The update, or null when anything is wrong (each problem added to {@code v}). */
    public ItemUpdate read(Integer index, JsonNode node, long now, long timestamp, Violations v) {
        if (node == null || !node.isObject()) {
            v.add(index, null, "an item must be a JSON object, not " + (node == null ? "nothing" : Violations.kind(node)));
            return null;
        }
        int before = v.count();
        v.rejectUnknown(index, node, FIELDS);
        String itemId = v.id(index, node, "itemId", true, limits.maxIdLength());
        List<String> categories = v.ids(index, node, "categories", false, WireLimits.MAX_ITEM_CATEGORIES,
                limits.maxIdLength(), true);
        Boolean hidden = v.bool(index, node, "hidden");
        Long at = v.timestamp(index, node, "timestamp", now, limits.maxClockSkewMillis());
        if (v.count() != before) {
            return null;
        }
        return new ItemUpdate(itemId, categories, hidden != null && hidden, at != null ? at : timestamp);
    }
}
