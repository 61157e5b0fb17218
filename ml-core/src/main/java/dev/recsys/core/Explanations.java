package dev.recsys.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.recsys.wire.Evidence;
import dev.recsys.wire.ScoredItem;

/**
 * Turns a scorer's per-history-item contributions to one recommended item into the evidence an answer
 * carries: the largest shares first, at most {@link #MAX_EVIDENCE}, shares summing to at most 1.
 */
public final class Explanations {

    /** History items named per recommended item: enough to read, few enough to scan a list of ten. */
    public static final int MAX_EVIDENCE = 3;

    private Explanations() {
    }

    /**
     * @param contributions what each history item added to the item's score (non-positive ones are left out)
     * @param score         the item's whole score; shares are contribution / score, so they sum to at most 1
     *                      when the contributions are parts of it
     */
    public static List<Evidence> of(Map<String, Double> contributions, double score) {
        if (!(score > 0)) {
            return List.of();
        }
        List<Map.Entry<String, Double>> positive = new ArrayList<>();
        for (var e : contributions.entrySet()) {
            if (e.getValue() > 0) {
                positive.add(e);
            }
        }
        positive.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        List<Evidence> out = new ArrayList<>(MAX_EVIDENCE);
        for (var e : positive.subList(0, Math.min(MAX_EVIDENCE, positive.size()))) {
            out.add(new Evidence(e.getKey(), Math.min(1, e.getValue() / score)));
        }
        return out;
    }

    /** {@code a * weightA + b * weightB}, by history item. */
    public static Map<String, Double> mix(Map<String, Double> a, double weightA, Map<String, Double> b,
            double weightB) {
        Map<String, Double> out = new LinkedHashMap<>();
        a.forEach((item, c) -> out.merge(item, c * weightA, Double::sum));
        b.forEach((item, c) -> out.merge(item, c * weightB, Double::sum));
        return out;
    }

    /** Items no scorer explained (a popular item filling the list, a cold start) get empty evidence. */
    public static List<ScoredItem> complete(List<ScoredItem> items) {
        List<ScoredItem> out = new ArrayList<>(items.size());
        for (ScoredItem i : items) {
            out.add(i.because() != null || Boolean.TRUE.equals(i.unknown()) ? i : i.explained(List.of()));
        }
        return out;
    }
}
