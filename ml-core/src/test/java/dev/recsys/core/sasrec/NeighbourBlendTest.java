package dev.recsys.core.sasrec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.PopularityScorer;
import dev.recsys.core.neighbours.ItemNeighbours;
import dev.recsys.core.neighbours.NeighbourScorer;

class NeighbourBlendTest {

    final ItemVocabulary vocabulary = ItemVocabulary.of(List.of("a", "b", "c", "new"));
    final ItemNeighbours table = ItemNeighbours.markovChain();
    final NeighbourScorer markov = NeighbourScorer.markovChain(table, new PopularityScorer(1000, 0));

    @Test
    void mixesTheModelsSoftmaxWithTheTablesDistribution() {
        table.observe(List.of("a"), "new");
        // Rows: 0 padding, a, b, c; the snapshot has no row for "new" (row 4) yet.
        float[] logits = { 0, 0, (float) Math.log(3), 0 };
        float[] p = new NeighbourBlend(markov, BlendGate.fixed(0.25)).mix(List.of("a"), logits, r -> true, vocabulary);
        assertEquals(5, p.length);
        // softmax over a, b, c = 1/5, 3/5, 1/5, times 0.75; "new" gets the table's whole 0.25.
        assertEquals(0.75 * 0.2, p[1], 1e-6);
        assertEquals(0.75 * 0.6, p[2], 1e-6);
        assertEquals(0.25, p[4], 1e-6);
        double sum = 0;
        for (float v : p) {
            sum += v;
        }
        assertEquals(1.0, sum, 1e-6);
    }

    @Test
    void untrainedRowsTakeNoShareAndWithoutVotesTheModelHasItAll() {
        float[] logits = { 0, 1, 1, 5 };
        float[] p = new NeighbourBlend(markov, BlendGate.fixed(0.5)).mix(List.of("b"), logits, r -> r != 3, vocabulary);
        assertEquals(0, p[3], 0);
        assertEquals(0.5, p[1], 1e-6);
        assertEquals(0.5, p[2], 1e-6);
    }
}
