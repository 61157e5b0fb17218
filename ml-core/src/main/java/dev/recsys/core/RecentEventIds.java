package dev.recsys.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last {@code capacity} event ids applied, so that a batch a client retried after an unclear failure
 * is applied once. Called from the single feedback thread.
 */
final class RecentEventIds {

    private final LinkedHashMap<String, Boolean> ids;

    RecentEventIds(int capacity) {
        this.ids = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** True the first time an id is seen (within the window). */
    boolean firstSighting(String eventId) {
        return ids.putIfAbsent(eventId, Boolean.TRUE) == null;
    }
}
