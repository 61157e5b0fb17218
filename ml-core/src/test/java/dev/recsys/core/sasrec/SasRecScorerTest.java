package dev.recsys.core.sasrec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.recsys.core.ItemCatalogue;
import dev.recsys.core.ItemFilter;
import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.PopularityScorer;
import dev.recsys.core.Recommendations;
import dev.recsys.core.ScoreQuery;
import dev.recsys.core.neighbours.ItemNeighbours;
import dev.recsys.core.neighbours.NeighbourScorer;
import dev.recsys.wire.ItemUpdate;
import dev.recsys.wire.ScoredItem;

class SasRecScorerTest {

    @Test
    void batchesKnownUsersExcludesSeenAndFallsBackForColdOnes() {
        ItemVocabulary vocab = ItemVocabulary.of(List.of("a", "b", "c", "d", "e", "f"));
        PopularityScorer popularity = new PopularityScorer(1000, 0);
        popularity.record("a", 1, 0);
        try (SasRecModel model = SasRecModel.create(SasRecModelTest.SMALL, vocab.rows())) {
            SasRecScorer scorer = SasRecScorer.of(model, vocab, popularity, "test");
            List<Recommendations> r = scorer.score(List.of(
                    new ScoreQuery("u1", List.of("a", "unknown", "b"), Set.of("a", "b"), 3),
                    new ScoreQuery("cold", List.of("never-seen"), Set.of(), 3),
                    new ScoreQuery("u2", List.of("c"), Set.of(), 10)));
            List<String> u1 = r.get(0).items().stream().map(ScoredItem::itemId).toList();
            assertEquals(3, u1.size());
            assertFalse(u1.contains("a") || u1.contains("b"));
            assertEquals("sasrec@test", r.get(0).modelVersion());
            assertTrue(r.get(1).modelVersion().startsWith("popularity@"));
            assertEquals(6, r.get(2).items().size());
            // Best first, and the scores are the model's own.
            List<ScoredItem> all = r.get(2).items();
            for (int i = 1; i < all.size(); i++) {
                assertTrue(all.get(i - 1).score() >= all.get(i).score());
            }
            float[] direct = SasRecInference.scores(model, List.of(new int[] { vocab.row("c") }))[0];
            assertEquals(direct[vocab.row(all.get(0).itemId())], all.get(0).score(), 1e-6);
        }
    }

    @Test
    void aGateAtTheTableAloneAnswersExactlyAsTheTableWouldPopularityFillingItsList() {
        ItemVocabulary vocab = ItemVocabulary.of(List.of("a", "b", "c", "d", "e", "f"));
        PopularityScorer popularity = new PopularityScorer(1000, 0);
        popularity.record("f", 1, 0);
        popularity.record("e", 1, 0);
        popularity.record("f", 2, 0);
        ItemNeighbours table = ItemNeighbours.markovChain();
        table.observe(List.of("a"), "c");
        NeighbourScorer markov = NeighbourScorer.markovChain(table, popularity);
        try (SasRecModel model = SasRecModel.create(SasRecModelTest.SMALL, vocab.rows());
                ServingModel serving = new ServingModel(new ModelSnapshot(model, "sasrec@t", 0))) {
            ScoreQuery q = new ScoreQuery("u", List.of("b", "a"), Set.of("b", "a"), 3);
            SasRecScorer tableAlone = new SasRecScorer(serving, vocab, popularity, ScoringBackend.PYTORCH,
                    new NeighbourBlend(markov, BlendGate.fixed(1)));
            Recommendations r = tableAlone.score(List.of(q)).get(0);
            // The table's one vote (c), then popularity's best (f, then e), as the table scorer answers.
            assertEquals(List.of("c", "f", "e"), r.items().stream().map(ScoredItem::itemId).toList());
            assertEquals(markov.score(List.of(q)).get(0).items(), r.items());
            assertEquals("sasrec@t+cooccurrence1.00", r.modelVersion());
            assertFalse(r.coldStart());
            // Four asked: the table knows only three (d has neither a vote nor popularity), so the blend
            // answers, its model side ranking every row.
            ScoreQuery four = new ScoreQuery("u", List.of("b", "a"), Set.of("b", "a"), 4);
            List<String> filled = tableAlone.score(List.of(four)).get(0).items().stream().map(ScoredItem::itemId)
                    .toList();
            assertEquals(4, filled.size(), filled.toString());
            assertTrue(filled.contains("d"), filled.toString());
            // A re-rank is the blend's too: every candidate gets a score.
            ScoreQuery rerank = new ScoreQuery("u", List.of("b", "a"), ItemFilter.excluding(Set.of()), 0,
                    List.of("d", "c"));
            List<ScoredItem> reranked = tableAlone.score(List.of(rerank)).get(0).items();
            assertEquals(Set.of("c", "d"), Set.copyOf(reranked.stream().map(ScoredItem::itemId).toList()));
            assertEquals("c", reranked.get(0).itemId());
            // Just short of the table alone, the model's share orders what the table did not vote for.
            SasRecScorer blended = new SasRecScorer(serving, vocab, popularity, ScoringBackend.PYTORCH,
                    new NeighbourBlend(markov, BlendGate.fixed(0.9999)));
            List<String> mixed = blended.score(List.of(q)).get(0).items().stream().map(ScoredItem::itemId).toList();
            assertEquals("c", mixed.get(0));
            float[] logits = SasRecInference.scores(model, List.of(new int[] { vocab.row("b"), vocab.row("a") }))[0];
            String modelsBest = List.of("d", "e", "f").stream()
                    .max(java.util.Comparator.comparingDouble(i -> logits[vocab.row(i)])).orElseThrow();
            assertEquals(modelsBest, mixed.get(1));
        }
    }

    @Test
    void explanationsNameHistoryItemsWithSharesOfAtMostOneAndLeaveTheRankingAsItIs() {
        ItemVocabulary vocab = ItemVocabulary.of(List.of("a", "b", "c", "d", "e", "f", "g", "h"));
        PopularityScorer popularity = new PopularityScorer(1000, 0);
        try (SasRecModel model = SasRecModel.create(SasRecModelTest.SMALL, vocab.rows())) {
            SasRecScorer scorer = SasRecScorer.of(model, vocab, popularity, "test");
            List<String> history = List.of("a", "b", "c", "b");
            ScoreQuery plain = new ScoreQuery("u", history, ItemFilter.excluding(Set.of()), 5, null);
            ScoreQuery rerank = new ScoreQuery("u", history, ItemFilter.excluding(Set.of()), 0, List.of("e", "f", "z"));
            List<Recommendations> asked = scorer.score(List.of(plain, plain.explained(true), rerank.explained(true)));
            // The explained pass ranks exactly as the plain one.
            assertEquals(asked.get(0).items().stream().map(ScoredItem::itemId).toList(),
                    asked.get(1).items().stream().map(ScoredItem::itemId).toList());
            for (int i = 0; i < 5; i++) {
                assertEquals(asked.get(0).items().get(i).score(), asked.get(1).items().get(i).score(), 1e-5);
                assertEquals(null, asked.get(0).items().get(i).because());
            }
            boolean anyEvidence = false;
            for (Recommendations r : asked.subList(1, 3)) {
                for (ScoredItem item : r.items()) {
                    if (Boolean.TRUE.equals(item.unknown())) {
                        assertEquals(null, item.because(), "an item the model cannot score has nothing to explain");
                        continue;
                    }
                    double sum = 0;
                    for (var e : item.because()) {
                        assertTrue(Set.of("a", "b", "c").contains(e.itemId()), e.toString());
                        assertTrue(e.share() > 0 && e.share() <= 1, e.toString());
                        sum += e.share();
                        anyEvidence = true;
                    }
                    assertTrue(sum <= 1 + 1e-9, "shares sum to " + sum);
                }
            }
            assertTrue(anyEvidence, "a random model's attention still carries something from the history");
        }
    }

    @Test
    void filtersRerankAndColdStartFollowTheModelsScores() {
        ItemVocabulary vocab = ItemVocabulary.of(List.of("a", "b", "c", "d", "e", "f"));
        ItemCatalogue catalogue = new ItemCatalogue();
        catalogue.apply(new ItemUpdate("b", List.of("x"), false, 1));
        catalogue.apply(new ItemUpdate("d", List.of("x"), true, 1));
        catalogue.apply(new ItemUpdate("e", List.of("x", "y"), false, 1));
        PopularityScorer popularity = new PopularityScorer(1000, 0);
        popularity.record("f", 1, 0);
        try (SasRecModel model = SasRecModel.create(SasRecModelTest.SMALL, vocab.rows())) {
            SasRecScorer scorer = SasRecScorer.of(model, vocab, popularity, "test");
            float[] direct = SasRecInference.scores(model, List.of(new int[] { vocab.row("a") }))[0];
            List<Recommendations> r = scorer.score(List.of(
                    new ScoreQuery("u", List.of("a"), new ItemFilter(catalogue, Set.of("x"), Set.of()), 10, null),
                    new ScoreQuery("u", List.of("a"), ItemFilter.excluding(Set.of()), 0,
                            List.of("zzz", "c", "a", "f")),
                    new ScoreQuery("cold", List.of("zzz"), ItemFilter.excluding(Set.of()), 2, null)));

            // Only category x, never the hidden d, fewer than k because only two items qualify.
            List<String> x = r.get(0).items().stream().map(ScoredItem::itemId).toList();
            assertEquals(Set.of("b", "e"), Set.copyOf(x));
            assertTrue(direct[vocab.row(x.get(0))] >= direct[vocab.row(x.get(1))]);

            List<ScoredItem> reranked = r.get(1).items();
            assertEquals(List.of("a", "c", "f"), reranked.subList(0, 3).stream().map(ScoredItem::itemId).sorted()
                    .toList());
            for (int i = 0; i < 3; i++) {
                assertEquals(direct[vocab.row(reranked.get(i).itemId())], reranked.get(i).score(), 1e-6);
                if (i > 0) {
                    assertTrue(reranked.get(i - 1).score() >= reranked.get(i).score());
                }
            }
            assertEquals("zzz", reranked.get(3).itemId());
            assertEquals(Boolean.TRUE, reranked.get(3).unknown());

            assertTrue(r.get(2).coldStart());
            assertFalse(r.get(0).coldStart());
            assertEquals(List.of("f"), r.get(2).items().stream().map(ScoredItem::itemId).toList());
        }
    }

    @Test
    void similarItemsAreTheNearestByCosineNeverTheItemItselfOrHiddenOnes() {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add("i" + i);
        }
        ItemVocabulary vocab = ItemVocabulary.of(ids);
        ItemCatalogue catalogue = new ItemCatalogue();
        try (SasRecModel model = SasRecModel.create(SasRecModelTest.SMALL, vocab.rows())) {
            SasRecScorer scorer = SasRecScorer.of(model, vocab, new PopularityScorer(1000, 0), "test");
            float[] e = model.itemEmbeddings();
            int d = model.config().dim();
            int self = vocab.row("i3");
            List<String> expected = ids.stream().filter(id -> !id.equals("i3"))
                    .sorted((p, q) -> Double.compare(cosine(e, d, self, vocab.row(q)), cosine(e, d, self, vocab.row(p))))
                    .toList();
            Recommendations top = scorer.similar("i3", new ItemFilter(catalogue, Set.of(), Set.of()), 5).orElseThrow();
            assertEquals(expected.subList(0, 5), top.items().stream().map(ScoredItem::itemId).toList());
            assertEquals(cosine(e, d, self, vocab.row(expected.get(0))), top.items().get(0).score(), 1e-5);

            catalogue.apply(new ItemUpdate(expected.get(0), List.of(), true, 1));
            Recommendations withoutHidden = scorer.similar("i3", new ItemFilter(catalogue, Set.of(), Set.of()), 5)
                    .orElseThrow();
            assertEquals(expected.subList(1, 6), withoutHidden.items().stream().map(ScoredItem::itemId).toList());
            assertTrue(scorer.similar("never-seen", ItemFilter.excluding(Set.of()), 5).isEmpty());
        }
    }

    static double cosine(float[] e, int d, int a, int b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < d; i++) {
            dot += e[a * d + i] * e[b * d + i];
            na += e[a * d + i] * e[a * d + i];
            nb += e[b * d + i] * e[b * d + i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
