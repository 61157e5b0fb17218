package dev.recsys.core.sasrec;

import java.util.List;

import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.neighbours.ItemNeighbours;
import dev.recsys.core.neighbours.Votes;

/**
 * Starts the rows of items a model has not trained yet from the rows of items it has: each new row becomes the
 * co-occurrence-weighted mean of its item's trained neighbours' rows, so that it ranks beside the items it is
 * taken with before any step has touched it.
 */
public final class NewItemRows {

    private NewItemRows() {
    }

    /**
     * Rows {@code from} to {@code rows - 1} of {@code items} (row-major, {@code dim} wide) become the weighted
     * mean of their items' neighbours' rows below {@code from}; an item with no trained neighbour keeps its row.
     */
    public static void fromNeighbours(float[] items, int dim, int from, int rows, ItemVocabulary vocabulary,
            ItemNeighbours cooccurrence) {
        for (int r = from; r < rows && r < vocabulary.rows(); r++) {
            Votes neighbours = cooccurrence.vote(List.of(vocabulary.itemId(r)), new double[] { 1 });
            double[] sum = new double[dim];
            double weight = 0;
            for (int n = 0; n < neighbours.size(); n++) {
                int other = vocabulary.row(neighbours.item(n));
                if (other > 0 && other < from) {
                    double w = neighbours.weight(n);
                    for (int i = 0; i < dim; i++) {
                        sum[i] += w * items[other * dim + i];
                    }
                    weight += w;
                }
            }
            if (weight > 0) {
                for (int i = 0; i < dim; i++) {
                    items[r * dim + i] = (float) (sum[i] / weight);
                }
            }
        }
    }
}
