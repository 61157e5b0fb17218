package dev.recsys.worker.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.recsys.core.UserHistories;

/** A consistent copy of every user's positive items, made while the consumer waits (as for a checkpoint). */
final class HeldHistories {

    private HeldHistories() {
    }

    /** Users with at least one positive item, each with their items oldest first. */
    static Map<String, List<String>> copy(FeedbackPosition applied, UserHistories histories) {
        return applied.cut(() -> {
            Map<String, List<String>> out = new LinkedHashMap<>();
            for (var e : histories.state().entrySet()) {
                List<String> items = e.getValue().sequence();
                if (!items.isEmpty()) {
                    out.put(e.getKey(), items);
                }
            }
            return out;
        }).state();
    }
}
