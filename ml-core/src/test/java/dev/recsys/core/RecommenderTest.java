package dev.recsys.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.recsys.wire.FeedbackEvent;
import dev.recsys.wire.FeedbackType;
import dev.recsys.wire.ScoreRequest;
import dev.recsys.wire.ScoredItem;

class RecommenderTest {

    final Recommender rec = Recommender.popularityOnly(new UserHistories(50, 50),
            new PopularityScorer(86_400_000L, 0), FeedbackWeights.defaults());

    static FeedbackEvent event(String id, String user, String item, FeedbackType type, Double value) {
        return new FeedbackEvent(id, user, item, type, value, 1000);
    }

    List<String> items(String user, boolean excludeSeen) {
        return rec.recommend(List.of(new ScoreRequest(user, 10, excludeSeen))).get(0).items().stream()
                .map(ScoredItem::itemId).toList();
    }

    @Test
    void excludesSeenItemsOnlyWhenAsked() {
        rec.apply(event("1", "u1", "a", FeedbackType.PURCHASE, null));
        rec.apply(event("2", "u2", "b", FeedbackType.VIEW, null));
        rec.apply(event("3", "u2", "a", FeedbackType.VIEW, null));
        assertEquals(List.of("b"), items("u1", true));
        assertEquals(List.of("a", "b"), items("u1", false));
        assertEquals(List.of(), items("u2", true));
        assertEquals(List.of("a", "b"), items("stranger", true));
    }

    @Test
    void skipsDislikesAndLowRatingsAddNoPopularityButCountAsSeen() {
        rec.apply(event("1", "u1", "a", FeedbackType.VIEW, null));
        rec.apply(event("2", "u1", "bad", FeedbackType.DISLIKE, null));
        rec.apply(event("3", "u1", "meh", FeedbackType.RATING, 2.0));
        rec.apply(event("4", "u1", "skipped", FeedbackType.SKIP, null));
        assertEquals(List.of("a"), items("u2", true));
        assertEquals(List.of(), items("u1", true));
    }

    @Test
    void aRetriedEventIsAppliedOnce() {
        rec.apply(event("same", "u1", "a", FeedbackType.VIEW, null));
        rec.apply(event("same", "u1", "a", FeedbackType.VIEW, null));
        rec.apply(event("other", "u2", "b", FeedbackType.VIEW, null));
        assertEquals(1, rec.histories().snapshot("u1").events());
        assertEquals(1, rec.duplicatesDropped());
        // "a" and "b" tie: a counted twice would win outright.
        assertEquals(rec.recommend(List.of(new ScoreRequest("x", 2, true))).get(0).items().get(0).score(),
                rec.recommend(List.of(new ScoreRequest("x", 2, true))).get(0).items().get(1).score());
    }
}
