package dev.recsys.core.sasrec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.PopularityScorer;
import dev.recsys.core.Recommendations;
import dev.recsys.core.ScoreQuery;
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
            float[] direct = SasRecScoring.scores(model, List.of(new int[] { vocab.row("c") }))[0];
            assertEquals(direct[vocab.row(all.get(0).itemId())], all.get(0).score(), 1e-6);
        }
    }
}
