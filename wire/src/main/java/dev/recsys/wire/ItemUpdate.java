package dev.recsys.wire;

import java.util.List;

/**
 * An item's metadata as it travels on the {@code items} topic (keyed by item id, compacted). Each update
 * replaces everything known about the item, so the topic's latest record per key is the whole truth and
 * compaction never loses a field.
 *
 * @param categories any number, possibly none
 * @param hidden     never recommended while true
 * @param timestamp  epoch milliseconds, when the metadata took effect (informational: updates of one item
 *                   apply in topic order, which compaction preserves)
 */
public record ItemUpdate(String itemId, List<String> categories, boolean hidden, long timestamp) {

    public ItemUpdate {
        categories = categories == null ? List.of() : List.copyOf(categories);
    }
}
