package dev.recsys.core.sasrec;

import java.util.ArrayList;
import java.util.List;

import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.neighbours.NeighbourScorer;

/**
 * The table's prior for online steps, read from the table as it is at the step: the items before each target
 * vote through the same scorer that serves. The table then already holds the target's own link (it was
 * applied before the step), which overstates the prior for that one target; the model learns a little too
 * much trust in the table, never a look at the future of what it is scored on.
 */
public final class TablePriors implements SasRecTrainer.TargetPrior {

    /** Enough items before the target for the scorer's voters (its newest distinct items). */
    private static final int LOOK_BACK = 20;

    private final NeighbourScorer table;
    private final ItemVocabulary vocabulary;

    public TablePriors(NeighbourScorer table, ItemVocabulary vocabulary) {
        this.table = table;
        this.vocabulary = vocabulary;
    }

    @Override
    public void add(int[] sequence, int target, float[] logits, int from, int rows) {
        List<String> before = new ArrayList<>(LOOK_BACK);
        for (int i = Math.max(0, target - LOOK_BACK); i < target; i++) {
            before.add(vocabulary.itemId(sequence[i]));
        }
        TablePrior.of(table.distribution(before), vocabulary::row).addTo(logits, from, rows);
    }
}
