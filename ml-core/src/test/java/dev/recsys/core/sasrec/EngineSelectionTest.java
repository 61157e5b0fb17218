package dev.recsys.core.sasrec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
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

/**
 * The engine's masked top-k (only candidates cross to the host) answers exactly as the all-scores path did:
 * every score to the host, mixed with the table over every row, filtered there, then the top k.
 */
class EngineSelectionTest {

    static final int ITEMS = 600;

    final Random random = new Random(7);
    final ItemCatalogue catalogue = new ItemCatalogue();
    final ItemNeighbours table = ItemNeighbours.cooccurrence(5);
    final PopularityScorer popularity = new PopularityScorer(1000, 0);

    @Test
    void blendedAnswersEqualTheAllScoresPathWithFiltersUntrainedRowsAndItemsTheModelLacks() {
        ItemVocabulary vocabulary = vocabulary();
        try (SasRecModel model = SasRecModel.create(SasRecModelTest.SMALL, vocabulary.rows())) {
            // Items the table has seen but the snapshot has no row for yet, and rows grown but not trained.
            for (int i = 0; i < 20; i++) {
                vocabulary.add("late" + i);
            }
            boolean[] mature = new boolean[model.rows()];
            for (int r = 1; r < mature.length; r++) {
                mature[r] = r % 9 != 0;
            }
            ModelSnapshot snapshot = new ModelSnapshot(model, "sasrec@test", 0, mature);
            feedTable(vocabulary);
            NeighbourBlend blend = new NeighbourBlend(NeighbourScorer.cooccurrence(table, popularity),
                    BlendGate.fixed(0.3));
            List<ScoreQuery> queries = queries(vocabulary, 60);

            SasRecScorer engine = new SasRecScorer(new ServingModel(snapshot), vocabulary, popularity,
                    ScoringBackend.PYTORCH, blend);
            SasRecScorer host = new SasRecScorer(new ServingModel(snapshot), vocabulary, popularity,
                    allScoresOnly(), blend);
            List<Recommendations> fast = engine.score(queries);
            List<Recommendations> slow = host.score(queries);
            int compared = 0;
            for (int q = 0; q < queries.size(); q++) {
                ScoreQuery query = queries.get(q);
                List<ScoredItem> expected = allScoresPath(snapshot, vocabulary, blend, query);
                assertSame(expected, fast.get(q).items(), "engine, query " + q);
                assertSame(expected, slow.get(q).items(), "host fallback, query " + q);
                compared += expected.size();
            }
            assertTrue(compared > 40 * 10, "answers compared: " + compared);
        }
    }

    @Test
    void unblendedAnswersEqualTheModelsOwnTopK() {
        ItemVocabulary vocabulary = vocabulary();
        try (SasRecModel model = SasRecModel.create(SasRecModelTest.SMALL, vocabulary.rows())) {
            ModelSnapshot snapshot = new ModelSnapshot(model, "sasrec@test", 0);
            SasRecScorer engine = new SasRecScorer(new ServingModel(snapshot), vocabulary, popularity);
            List<ScoreQuery> queries = queries(vocabulary, 30);
            List<Recommendations> answers = engine.score(queries);
            for (int q = 0; q < queries.size(); q++) {
                assertSame(allScoresPath(snapshot, vocabulary, null, queries.get(q)), answers.get(q).items(),
                        "query " + q);
            }
        }
    }

    private static ItemVocabulary vocabulary() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            ids.add("i" + i);
        }
        return ItemVocabulary.of(ids);
    }

    /** What SasRecScorer did before the engine selected: every score mixed, filtered and ranked on the host. */
    private static List<ScoredItem> allScoresPath(ModelSnapshot snapshot, ItemVocabulary vocabulary,
            NeighbourBlend blend, ScoreQuery q) {
        int[] known = q.sequence().stream().mapToInt(vocabulary::row).filter(snapshot::mature).toArray();
        float[] logits = SasRecInference.scores(snapshot.model(), List.of(known))[0];
        float[] s = blend == null ? logits : blend.mix(q.sequence(), logits, snapshot::mature, vocabulary);
        int rows = Math.min(s.length, vocabulary.rows());
        int[] best = Candidates.best(s, q.filter().allowedRows(vocabulary, rows), q.k());
        List<ScoredItem> out = new ArrayList<>();
        for (int r : best) {
            out.add(new ScoredItem(vocabulary.itemId(r), s[r]));
        }
        return out;
    }

    private static void assertSame(List<ScoredItem> expected, List<ScoredItem> actual, String what) {
        assertEquals(expected.stream().map(ScoredItem::itemId).toList(), actual.stream().map(ScoredItem::itemId).toList(),
                what);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).score(), actual.get(i).score(), 1e-6 * Math.abs(expected.get(i).score()) + 1e-9,
                    what + ", score of " + expected.get(i).itemId());
        }
    }

    private void feedTable(ItemVocabulary vocabulary) {
        for (int u = 0; u < 300; u++) {
            List<String> seen = new ArrayList<>();
            for (int e = 0; e < 12; e++) {
                String item = random.nextInt(10) == 0 ? "late" + random.nextInt(20) : "i" + zipf();
                table.observe(seen, item);
                seen.add(item);
            }
        }
        for (int i = 0; i < ITEMS; i += 7) {
            catalogue.apply(new ItemUpdate("i" + i, List.of(i % 2 == 0 ? "even" : "odd"), i % 5 == 0, 1));
        }
    }

    private int zipf() {
        return (int) Math.min(ITEMS - 1, Math.floor(Math.pow(ITEMS, random.nextDouble())) - 1);
    }

    private List<ScoreQuery> queries(ItemVocabulary vocabulary, int n) {
        List<ScoreQuery> out = new ArrayList<>();
        for (int q = 0; q < n; q++) {
            List<String> history = new ArrayList<>();
            for (int e = 0; e < 1 + random.nextInt(30); e++) {
                history.add("i" + zipf());
            }
            Set<String> excluded = new HashSet<>(history);
            Set<String> categories = q % 4 == 3 ? Set.of("even") : Set.of();
            out.add(new ScoreQuery("u" + q, history, new ItemFilter(catalogue, categories, excluded),
                    q % 3 == 0 ? 25 : 10, null));
        }
        return out;
    }

    /** A backend that only gives every score: the selection is made on the host (the default). */
    private static ScoringBackend allScoresOnly() {
        return (snapshot, histories) -> SasRecInference.scores(snapshot.model(), histories);
    }
}
