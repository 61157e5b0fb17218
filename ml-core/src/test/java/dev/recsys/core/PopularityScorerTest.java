package dev.recsys.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.recsys.wire.ScoredItem;

class PopularityScorerTest {

    static final long DAY = 86_400_000L;

    static List<String> top(PopularityScorer s, Set<String> exclude, int k) {
        return s.score(List.of(new ScoreQuery("u", List.of(), exclude, k))).get(0).items().stream()
                .map(ScoredItem::itemId).toList();
    }

    @Test
    void ranksByWeightAndExcludes() {
        PopularityScorer s = new PopularityScorer(DAY, 0);
        s.record("a", 1, 0);
        s.record("b", 3, 0);
        s.record("c", 2, 0);
        s.record("a", 0.5, 0);
        assertEquals(List.of("b", "c", "a"), top(s, Set.of(), 10));
        assertEquals(List.of("c", "a"), top(s, Set.of("b"), 2));
        assertEquals(List.of("b"), top(s, Set.of(), 1));
    }

    @Test
    void recentEventsOutweighOldOnesByHalfLife() {
        PopularityScorer s = new PopularityScorer(DAY, 0);
        s.record("old", 3, 0);
        s.record("new", 1, 2 * DAY);
        List<Recommendations> r = s.score(List.of(new ScoreQuery("u", List.of(), Set.of(), 2)));
        // 3 events two half-lives ago weigh 0.75 now, less than 1 fresh event.
        assertEquals(new ScoredItem("new", 1.0), r.get(0).items().get(0));
        assertEquals(0.75, r.get(0).items().get(1).score(), 1e-12);
        assertEquals("popularity@2", r.get(0).modelVersion());
    }

    @Test
    void survivesRescalingAcrossManyHalfLives() {
        PopularityScorer s = new PopularityScorer(1, 0);
        s.record("a", 1, 0);
        s.record("b", 1, 1000);
        s.record("b", 1, 1001);
        assertEquals(List.of("b", "a"), top(s, Set.of(), 5));
        assertEquals(1.5, s.score(List.of(new ScoreQuery("u", List.of(), Set.of(), 1))).get(0).items().get(0)
                .score(), 1e-12);
    }

    @Test
    void nonPositiveWeightsAreIgnoredAndTiesBreakById() {
        PopularityScorer s = new PopularityScorer(DAY, 0);
        s.record("z", 1, 0);
        s.record("y", 1, 0);
        s.record("x", 0, 0);
        assertEquals(List.of("y", "z"), top(s, Set.of(), 5));
    }
}
