package dev.recsys.core.quality;

import java.util.HashMap;
import java.util.Map;

/**
 * Events per item so far, for novelty: an item's self-information is {@code log2(N / n_i)}, N every event
 * counted, n_i the item's (at least 1, so an item never seen counts as seen once). Bounded: past
 * {@code maxItems} distinct items a new one is not counted (it reads as seen once) but N still grows.
 */
public final class ItemCounts {

    private final Map<String, Integer> counts = new HashMap<>();
    private final int maxItems;
    private long events;

    public ItemCounts(int maxItems) {
        this.maxItems = maxItems;
    }

    public synchronized void add(String item) {
        events++;
        Integer n = counts.get(item);
        if (n != null) {
            counts.put(item, n + 1);
        } else if (counts.size() < maxItems) {
            counts.put(item, 1);
        }
    }

    /** {@code log2(N / n_i)} in bits; 0 before any event. */
    public synchronized double selfInformation(String item) {
        if (events == 0) {
            return 0;
        }
        return Math.log((double) events / counts.getOrDefault(item, 1)) / Math.log(2);
    }

    /** Items with at least one event: the catalogue coverage is measured against. */
    public synchronized int items() {
        return counts.size();
    }
}
