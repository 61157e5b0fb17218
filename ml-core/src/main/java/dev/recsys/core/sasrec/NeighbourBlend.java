package dev.recsys.core.sasrec;

import java.util.List;
import java.util.function.IntPredicate;

import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.neighbours.NeighbourScorer;
import dev.recsys.core.neighbours.Votes;

/**
 * Mixes the Transformer's next-item distribution with an item-to-item table's: {@code (1 - w) * softmax(model)
 * + w * table}, {@code w} from a {@link BlendGate}. Both are probabilities over the same catalogue, so the
 * mixture is one too, and each side covers what the other misses: the table knows items the moment feedback
 * links them (the model only once their rows are trained), the model generalises across users and reads a
 * whole history in order. Rows the model has not trained take no share of its side; items the table links but
 * the snapshot has no row for still score from the table.
 */
public final class NeighbourBlend {

    private final NeighbourScorer neighbours;
    private final BlendGate gate;
    /** Vocabulary row of each table item number, 0 until known: an item's row never changes once given. */
    private int[] rowOf = new int[0];

    public NeighbourBlend(NeighbourScorer neighbours, BlendGate gate) {
        this.neighbours = neighbours;
        this.gate = gate;
    }

    /** The table's share now. */
    public double weight() {
        return gate.weight();
    }

    public BlendGate gate() {
        return gate;
    }

    /** What each of the sequence's items added to the table's vote for {@code item} (see NeighbourScorer). */
    public java.util.Map<String, Double> tableContributions(List<String> sequence, String item) {
        return neighbours.contributions(sequence, item);
    }

    /**
     * @param sequence the user's items, oldest first (all of them, known to the model or not)
     * @param logits   the model's score of every snapshot row
     * @param trained  whether the model's row stands for its item yet ({@link ModelSnapshot#mature})
     * @return one mixed probability per vocabulary row (at least as many rows as {@code logits})
     */
    public float[] mix(List<String> sequence, float[] logits, IntPredicate trained, ItemVocabulary vocabulary) {
        double weight = gate.weight();
        float[] out = softmax(logits, trained, Math.max(logits.length, vocabulary.rows()));
        Votes votes = neighbours.distribution(sequence);
        if (votes.isEmpty()) {
            return out; // the table has nothing to say: the model has it all
        }
        for (int r = 1; r < logits.length; r++) {
            out[r] *= (float) (1 - weight);
        }
        for (int i = 0; i < votes.size(); i++) {
            int r = row(votes, i, vocabulary);
            if (r > 0 && r < out.length) {
                out[r] += (float) (weight * votes.weight(i));
            }
        }
        return out;
    }

    /** Called by the scoring thread only (the cache is not shared). */
    private int row(Votes votes, int i, ItemVocabulary vocabulary) {
        int n = votes.number(i);
        if (n >= rowOf.length) {
            rowOf = java.util.Arrays.copyOf(rowOf, Math.max(n + 1, rowOf.length * 2));
        }
        if (rowOf[n] <= 0) {
            rowOf[n] = vocabulary.row(votes.item(i));
        }
        return rowOf[n];
    }

    /** The model's distribution over its trained rows, in an array of {@code size} rows (the rest zero). */
    public static float[] softmax(float[] logits, IntPredicate trained, int size) {
        float[] out = new float[size];
        double max = Double.NEGATIVE_INFINITY;
        for (int r = 1; r < logits.length; r++) {
            if (trained.test(r)) {
                max = Math.max(max, logits[r]);
            }
        }
        double sum = 0;
        for (int r = 1; r < logits.length; r++) {
            if (trained.test(r)) {
                double e = Math.exp(logits[r] - max);
                out[r] = (float) e;
                sum += e;
            }
        }
        if (sum > 0) {
            for (int r = 1; r < logits.length; r++) {
                out[r] /= (float) sum;
            }
        }
        return out;
    }
}
