package dev.recsys.core.recommender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.recsys.core.FeedbackWeights;
import dev.recsys.core.ItemCatalogue;
import dev.recsys.core.PopularityScorer;
import dev.recsys.core.UserHistories;
import dev.recsys.core.neighbours.ItemTables;
import dev.recsys.core.neighbours.NeighbourScorer;
import dev.recsys.wire.FeedbackEvent;
import dev.recsys.wire.FeedbackType;
import dev.recsys.wire.ItemUpdate;
import dev.recsys.wire.ScoreReply;
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
    void aSampledEventCarriesWhereTheTablesOwnScorerRankedItBeforeItWasApplied() {
        List<Integer> ranks = new java.util.ArrayList<>();
        PredictionProbe probe = new PredictionProbe() {
            @Override
            public boolean wantsSample(long eventTimeMillis) {
                return true;
            }

            @Override
            public void offer(List<String> before, String item, dev.recsys.core.neighbours.Votes table, int rank) {
                ranks.add(rank);
            }
        };
        PopularityScorer popularity = new PopularityScorer(86_400_000L, 0);
        ItemTables tables = ItemTables.standard();
        Recommender r = new Recommender(new UserHistories(50, 50), popularity, tables, popularity,
                FeedbackWeights.defaults(), dev.recsys.core.FeedbackListener.NONE, new ItemCatalogue(), probe);
        // Another user links a and c; c is the more popular.
        for (String item : List.of("a", "c", "c")) {
            r.apply(event(null, "other", item, FeedbackType.VIEW, null));
        }
        ranks.clear();
        // With no history the table's scorer answers by popularity: c first, then a.
        List<String> cold = NeighbourScorer.cooccurrence(tables.cooccurrence(), popularity)
                .score(List.of(new dev.recsys.core.ScoreQuery("u", List.of(), java.util.Set.of(), 10))).get(0)
                .items().stream().map(ScoredItem::itemId).toList();
        assertEquals(List.of("c", "a"), cold);
        r.apply(event(null, "u", "a", FeedbackType.VIEW, null));
        r.apply(event(null, "u", "c", FeedbackType.VIEW, null)); // a's one neighbour: c, first
        r.apply(event(null, "u", "never-seen", FeedbackType.VIEW, null)); // in no list
        assertEquals(List.of(1, 0, -1), ranks);
    }

    @Test
    void anEventTheTablesHoldAlreadyChangesTheHistoryOnly() {
        UserHistories histories = new UserHistories(50, 50);
        PopularityScorer popularity = new PopularityScorer(86_400_000L, 0);
        Recommender r = Recommender.popularityOnly(histories, popularity, FeedbackWeights.defaults(),
                new ItemCatalogue());
        r.apply(event("1", "u1", "a", FeedbackType.VIEW, null), 1000, false);
        assertEquals(List.of("a"), histories.snapshot("u1").sequence());
        assertEquals(0, r.items(), "no popularity for an event a checkpoint's tables hold");
        r.apply(event("2", "u1", "b", FeedbackType.VIEW, null), 1000, true);
        assertEquals(List.of("a", "b"), histories.snapshot("u1").sequence());
        assertEquals(1, r.items());
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
    void hiddenItemsAndCategoryFiltersShapeEveryAnswer() {
        ItemCatalogue catalogue = new ItemCatalogue();
        Recommender r = Recommender.popularityOnly(new UserHistories(50, 50), new PopularityScorer(86_400_000L, 0),
                FeedbackWeights.defaults(), catalogue);
        for (String item : List.of("a", "a", "a", "b", "b", "c", "d")) {
            r.apply(new FeedbackEvent(null, "other", item, FeedbackType.VIEW, null, 1000));
        }
        catalogue.apply(new ItemUpdate("a", List.of("drama"), true, 1));
        catalogue.apply(new ItemUpdate("b", List.of("comedy"), false, 1));
        catalogue.apply(new ItemUpdate("c", List.of("drama"), false, 1));

        ScoreReply all = r.recommend(List.of(ScoreRequest.forUser("u", 10, true, null, null))).get(0);
        assertEquals(List.of("b", "c", "d"), ids(all));
        assertEquals(3, all.count());
        assertTrue(all.coldStart(), "a user with no history gets popular items and is told so");

        ScoreReply drama = r.recommend(List.of(ScoreRequest.forUser("u", 10, true, List.of("drama"), null))).get(0);
        assertEquals(List.of("c"), ids(drama));
        assertEquals(1, drama.count());
        assertEquals(List.of("d"), ids(r.recommend(List.of(
                ScoreRequest.forUser("u", 10, true, null, List.of("b", "c")))).get(0)));
    }

    @Test
    void aSessionIsScoredOnItsOwnItemsAndLeavesNoTrace() {
        for (String item : List.of("a", "a", "b")) {
            rec.apply(new FeedbackEvent(null, "other", item, FeedbackType.VIEW, null, 1000));
        }
        int users = rec.histories().users();
        ScoreReply session = rec.recommend(List.of(ScoreRequest.forSession(List.of("a"), 5, true, null, null)))
                .get(0);
        assertEquals(List.of("b"), ids(session));
        assertFalse(session.coldStart());
        assertEquals(users, rec.histories().users());
        assertEquals(List.of("a", "b"), ids(rec.recommend(List.of(
                ScoreRequest.forSession(List.of("a"), 5, false, null, null))).get(0)));
    }

    @Test
    void rerankReturnsEveryVisibleCandidateUnknownOnesLastAndNamesTheHiddenOnes() {
        ItemCatalogue catalogue = new ItemCatalogue();
        Recommender r = Recommender.popularityOnly(new UserHistories(50, 50), new PopularityScorer(86_400_000L, 0),
                FeedbackWeights.defaults(), catalogue);
        for (String item : List.of("a", "b", "b", "c", "c", "c")) {
            r.apply(new FeedbackEvent(null, "other", item, FeedbackType.VIEW, null, 1000));
        }
        r.apply(new FeedbackEvent(null, "u", "a", FeedbackType.VIEW, null, 1000));
        catalogue.apply(new ItemUpdate("a", List.of(), true, 1));
        ScoreReply reply = r.recommend(List.of(ScoreRequest.rerank("u", List.of("new", "a", "b", "c")))).get(0);
        assertEquals(List.of("c", "b", "new"), ids(reply));
        assertEquals(Boolean.TRUE, reply.items().get(2).unknown());
        assertEquals(null, reply.items().get(2).score());
        assertEquals(List.of("a"), reply.hiddenCandidates());
    }

    @Test
    void withoutAModelSimilarItemsComeFromCooccurrenceAndAnUnlinkedItemIsNotFound() {
        Recommender r = Recommender.popularityOnly(new UserHistories(50, 50), new PopularityScorer(86_400_000L, 0),
                FeedbackWeights.defaults());
        // "b" follows "a" for two users, "c" follows "a" for one: b is a's closest neighbour.
        for (String user : List.of("u1", "u2")) {
            r.apply(new FeedbackEvent(null, user, "a", FeedbackType.VIEW, null, 1000));
            r.apply(new FeedbackEvent(null, user, "b", FeedbackType.VIEW, null, 1000));
        }
        r.apply(new FeedbackEvent(null, "u3", "a", FeedbackType.VIEW, null, 1000));
        r.apply(new FeedbackEvent(null, "u3", "c", FeedbackType.VIEW, null, 1000));
        r.apply(new FeedbackEvent(null, "u4", "lonely", FeedbackType.VIEW, null, 1000));
        ScoreReply similar = r.recommend(List.of(ScoreRequest.similarTo("a", 5, null, null))).get(0);
        assertEquals(List.of("b", "c"), ids(similar));
        assertTrue(similar.modelVersion().startsWith("cooccurrence@"), similar.modelVersion());
        ScoreReply unlinked = r.recommend(List.of(ScoreRequest.similarTo("lonely", 5, null, null))).get(0);
        assertEquals(ScoreReply.Error.NOT_FOUND, unlinked.error().code());
        assertEquals("itemId", unlinked.error().field());
    }

    static List<String> ids(ScoreReply reply) {
        return reply.items().stream().map(ScoredItem::itemId).toList();
    }
}
