package dev.recsys.core.neighbours;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.recsys.core.ItemFilter;
import dev.recsys.core.PopularityScorer;
import dev.recsys.core.Recommendations;
import dev.recsys.core.ScoreQuery;
import dev.recsys.wire.ScoredItem;

class NeighbourScorerTest {

    final PopularityScorer popularity = new PopularityScorer(86_400_000L, 0);

    /** Feeds one user's sequence as the worker does: each item observed against the items before it. */
    static void user(ItemTables tables, PopularityScorer popularity, String... items) {
        List<String> before = new ArrayList<>();
        for (String item : items) {
            tables.observe(before, item);
            popularity.record(item, 1, 1000);
            before.add(item);
        }
    }

    static List<String> ids(Recommendations r) {
        return r.items().stream().map(ScoredItem::itemId).toList();
    }

    @Test
    void markovChainRanksWhatFollowedTheLastItemAndBreaksTiesByPopularity() {
        ItemTables tables = ItemTables.standard();
        user(tables, popularity, "a", "b");
        user(tables, popularity, "a", "b");
        user(tables, popularity, "a", "c");
        user(tables, popularity, "x", "d");
        user(tables, popularity, "x", "e");
        user(tables, popularity, "e");
        NeighbourScorer markov = NeighbourScorer.markovChain(tables.markov(), popularity);
        assertEquals(List.of("b", "c"), ids(markov.score(List.of(new ScoreQuery("u", List.of("a"), Set.of(), 2)))
                .get(0)));
        // d and e followed x once each; e is more popular, so it wins the tie.
        assertEquals(List.of("e", "d"), ids(markov.score(List.of(new ScoreQuery("u", List.of("x"), Set.of(), 2)))
                .get(0)));
        // Directed: nothing follows b, so only popularity is left, and the answer says it is a cold start.
        Recommendations fromB = markov.score(List.of(new ScoreQuery("u", List.of("b"), Set.of(), 2))).get(0);
        assertTrue(fromB.coldStart());
        assertTrue(fromB.modelVersion().startsWith("popularity@"), fromB.modelVersion());
    }

    @Test
    void cooccurrenceVotesFromTheLastItemsNewestFirstAndFillsUpFromPopularity() {
        ItemTables tables = ItemTables.standard();
        user(tables, popularity, "old", "p");
        user(tables, popularity, "new", "q");
        user(tables, popularity, "z", "z2", "z3");
        NeighbourScorer cooc = NeighbourScorer.cooccurrence(tables.cooccurrence(), popularity);
        Recommendations r = cooc.score(List.of(new ScoreQuery("u", List.of("old", "new"), Set.of("old", "new"), 4)))
                .get(0);
        // The newest item's neighbour weighs 1, the one before 1/2; then popular items fill the list.
        assertEquals("q", ids(r).get(0));
        assertEquals("p", ids(r).get(1));
        assertEquals(4, r.items().size());
        assertTrue(r.items().get(1).score() > r.items().get(2).score());
        assertFalse(r.coldStart());
        assertTrue(r.modelVersion().startsWith("cooccurrence@"), r.modelVersion());
    }

    @Test
    void explanationsNameTheHistoryItemsThatVotedWithTheirSharesOfTheVote() {
        ItemTables tables = ItemTables.standard();
        user(tables, popularity, "a", "t");
        user(tables, popularity, "b", "t");
        user(tables, popularity, "b", "u");
        user(tables, popularity, "z");
        NeighbourScorer cooc = NeighbourScorer.cooccurrence(tables.cooccurrence(), popularity);
        // History a (older, weight 1/2) then b (newest, weight 1). t: a's row is all t, b's row half t.
        ScoreQuery q = new ScoreQuery("u", List.of("a", "b"), ItemFilter.excluding(Set.of("a", "b")), 3, null, true);
        Recommendations r = cooc.score(List.of(q)).get(0);
        assertEquals(List.of("t", "u", "z"), ids(r));
        var t = r.items().get(0).because();
        // Votes for t: b 1 * 1/2, a 1/2 * 1: equal parts.
        assertEquals(List.of("a", "b"), t.stream().map(dev.recsys.wire.Evidence::itemId).toList());
        assertEquals(0.5, t.get(0).share(), 1e-9);
        assertEquals(0.5, t.get(1).share(), 1e-9);
        var u = r.items().get(1).because();
        assertEquals(1, u.size());
        assertEquals("b", u.get(0).itemId());
        assertEquals(1.0, u.get(0).share(), 1e-9);
        // z filled the list from popularity: no history item led to it.
        assertEquals(List.of(), r.items().get(2).because());
        // Not asked: no evidence at all.
        assertEquals(null, cooc.score(List.of(q.explained(false))).get(0).items().get(0).because());
    }

    @Test
    void theDistributionSumsToOneAndCountsWeightByGap() {
        ItemTables tables = ItemTables.standard();
        user(tables, popularity, "a", "b", "c");
        NeighbourScorer cooc = NeighbourScorer.cooccurrence(tables.cooccurrence(), popularity);
        Votes d = cooc.distribution(List.of("a"));
        // a is linked to b at gap 1 (weight 1) and to c at gap 2 (weight 1/2).
        assertEquals(2.0 / 3, d.of("b"), 1e-9);
        assertEquals(1.0 / 3, d.of("c"), 1e-9);
        assertTrue(cooc.distribution(List.of("unknown")).isEmpty());
    }

    @Test
    void similarItemsAreTheItemsRowOnlyAndRespectTheFilter() {
        ItemTables tables = ItemTables.standard();
        user(tables, popularity, "a", "b", "c");
        user(tables, popularity, "unrelated", "other");
        NeighbourScorer cooc = NeighbourScorer.cooccurrence(tables.cooccurrence(), popularity);
        assertEquals(List.of("b", "c"), ids(cooc.similar("a", ItemFilter.excluding(Set.of()), 10).orElseThrow()));
        assertEquals(List.of("c"), ids(cooc.similar("a", ItemFilter.excluding(Set.of("b")), 10).orElseThrow()));
        assertTrue(cooc.similar("never-seen", ItemFilter.excluding(Set.of()), 10).isEmpty());
    }

    @Test
    void rerankOrdersByVotesThenPopularityWithUnknownCandidatesLast() {
        ItemTables tables = ItemTables.standard();
        user(tables, popularity, "a", "b");
        user(tables, popularity, "c");
        user(tables, popularity, "c");
        NeighbourScorer cooc = NeighbourScorer.cooccurrence(tables.cooccurrence(), popularity);
        Recommendations r = cooc.score(List.of(new ScoreQuery("u", List.of("a"), ItemFilter.excluding(Set.of()), 3,
                List.of("nobody-knows", "c", "b")))).get(0);
        assertEquals(List.of("b", "c", "nobody-knows"), ids(r));
        assertEquals(Boolean.TRUE, r.items().get(2).unknown());
    }

    @Test
    void aRowKeepsItsStrongestNeighboursWhenItOverflows() {
        ItemNeighbours table = ItemNeighbours.cooccurrence(1);
        for (int i = 0; i <= 2 * ItemNeighbours.MAX_NEIGHBOURS + 1; i++) {
            // "strong" follows the hub many times, every other item once: MAX_NEIGHBOURS + 1 others in all.
            table.observe(List.of("hub"), i % 2 == 0 ? "strong" : "n" + i);
        }
        NeighbourScorer s = NeighbourScorer.markovChain(table, popularity);
        Votes d = s.distribution(List.of("hub"));
        assertTrue(d.size() <= ItemNeighbours.MAX_NEIGHBOURS, "row size " + d.size());
        assertTrue(d.of("strong") > 0.5, "strong's share " + d.of("strong"));
        double sum = 0;
        for (int i = 0; i < d.size(); i++) {
            sum += d.weight(i);
        }
        assertEquals(1.0, sum, 1e-9);
    }

    @Test
    void aCheckpointedTableRestoresToTheSameAnswersAndRefusesAnotherShape() {
        ItemTables tables = ItemTables.standard();
        user(tables, popularity, "a", "b", "c", "a", "d");
        ItemNeighbours copy = ItemNeighbours.cooccurrence(ItemTables.COOCCURRENCE_WINDOW);
        copy.restore(tables.cooccurrence().state());
        assertEquals(tables.cooccurrence().state(), copy.state());
        assertEquals(tables.cooccurrence().links(), copy.links());
        assertThrowsIllegal(() -> ItemNeighbours.markovChain().restore(tables.cooccurrence().state()));
    }

    @Test
    void restoringANewerCheckpointInPlaceKeepsEveryItemsNumberAndReplacesTheCounts() {
        ItemNeighbours serving = ItemNeighbours.cooccurrence(ItemTables.COOCCURRENCE_WINDOW);
        serving.observeSequence(List.of("a", "b", "c"));
        Votes before = serving.vote(List.of("a"), new double[] { 1 });
        // A newer table met the items in another order, and one more.
        ItemNeighbours newer = ItemNeighbours.cooccurrence(ItemTables.COOCCURRENCE_WINDOW);
        newer.observeSequence(List.of("c", "d", "a", "b"));

        serving.restore(newer.state());

        assertEquals(newer.state(), serving.state());
        Votes after = serving.vote(List.of("a"), new double[] { 1 });
        for (int i = 0; i < after.size(); i++) {
            for (int j = 0; j < before.size(); j++) {
                if (after.item(i).equals(before.item(j))) {
                    assertEquals(before.number(j), after.number(i), "number of " + after.item(i));
                }
            }
        }
        assertTrue(after.of("d") > 0, "the newer checkpoint's links are there");
    }

    @Test
    void aCheckpointWithoutTablesRebuildsThemFromTheUsersSequences() {
        ItemTables live = ItemTables.standard();
        user(live, popularity, "a", "b", "c", "d", "e", "f", "g");
        user(live, popularity, "b", "x");
        ItemTables rebuilt = ItemTables.standard();
        rebuilt.restore(Map.of(), List.of(List.of("a", "b", "c", "d", "e", "f", "g"), List.of("b", "x")));
        assertEquals(live.cooccurrence().state(), rebuilt.cooccurrence().state());
        assertEquals(live.markov().state(), rebuilt.markov().state());
    }

    private static void assertThrowsIllegal(Runnable r) {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, r::run);
    }
}
