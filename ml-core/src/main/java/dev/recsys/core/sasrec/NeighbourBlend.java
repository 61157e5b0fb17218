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

    /** The table's share now, over all history lengths. */
    public double weight() {
        return gate.weight();
    }

    /** The table's share now for a history of this many items. */
    public double weight(int historyLength) {
        return gate.weight(historyLength);
    }

    /**
     * Whether the gate gives a history of this many items to the table alone: then the table scorer answers,
     * popularity breaking its ties and filling its list, exactly as the table would unblended.
     */
    public boolean tableAlone(int historyLength) {
        return gate.tableAlone(historyLength);
    }

    /** The table's own scorer. */
    public NeighbourScorer table() {
        return neighbours;
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
        double weight = gate.weight(sequence.size());
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

    /**
     * What the table says for one query, before the engine runs: the rows it votes for (whose model scores the
     * engine is asked for), with their votes. The filter is applied only to rows that would enter the top k:
     * the table often votes for thousands of items, and a lookup each cost more than the forward pass.
     *
     * @param voted  whether the table voted at all (then the model's side takes {@code 1 - w}, as in {@link #mix})
     * @param weight the table's share {@code w} for this history's length
     */
    public record Ballot(int[] rows, double[] votes, boolean voted, double weight, dev.recsys.core.ItemFilter filter) {
    }

    public Ballot ballot(List<String> sequence, dev.recsys.core.ItemFilter filter, ItemVocabulary vocabulary) {
        Votes votes = neighbours.distribution(sequence);
        int[] rows = new int[votes.size()];
        double[] weights = new double[votes.size()];
        int n = 0;
        for (int i = 0; i < votes.size(); i++) {
            int r = row(votes, i, vocabulary);
            if (r > 0 && r < vocabulary.rows()) {
                rows[n] = r;
                weights[n++] = votes.weight(i);
            }
        }
        return new Ballot(java.util.Arrays.copyOf(rows, n), java.util.Arrays.copyOf(weights, n), !votes.isEmpty(),
                gate.weight(sequence.size()), filter);
    }

    /**
     * The top k of the mixture for history {@code b} of the engine's selection: its model rows (allowed by the
     * engine's mask) and the ballot's rows (allowed by the filter), each scored exactly as {@link #mix} scores
     * it, best first, equal scores the lower row first.
     */
    public List<dev.recsys.wire.ScoredItem> top(Ballot ballot, Candidates engine, int b, int k, ItemVocabulary vocabulary) {
        double weight = ballot.weight();
        float max = engine.max()[b];
        float sum = engine.sumExp()[b];
        TopRows top = new TopRows(k);
        int[] rows = engine.rows()[b];
        int[] sorted = rows.clone();
        java.util.Arrays.sort(sorted);
        boolean[] inBallot = new boolean[rows.length]; // by position in sorted
        float[] named = engine.named()[b];
        for (int j = 0; j < ballot.rows().length; j++) {
            int r = ballot.rows()[j];
            int at = java.util.Arrays.binarySearch(sorted, r);
            if (at >= 0) {
                inBallot[at] = true; // scored here, with its vote
            }
            float model = named[j] == Float.NEGATIVE_INFINITY ? 0f : modelSide(named[j], max, sum, true, weight);
            float score = model + (float) (weight * ballot.votes()[j]);
            if (top.enters(r, score) && ballot.filter().allows(vocabulary.itemId(r))) {
                top.add(r, score);
            }
        }
        for (int i = 0; i < rows.length; i++) {
            if (!inBallot[java.util.Arrays.binarySearch(sorted, rows[i])]) {
                top.add(rows[i], modelSide(engine.scores()[b][i], max, sum, ballot.voted(), weight));
            }
        }
        return top.items(vocabulary);
    }

    /** The k best rows offered, best first, equal scores the lower row first. */
    private static final class TopRows {
        private final int[] rows;
        private final float[] scores;
        private int n;

        TopRows(int k) {
            rows = new int[k];
            scores = new float[k];
        }

        boolean enters(int row, float score) {
            return n < rows.length || n > 0 && better(row, score, rows[n - 1], scores[n - 1]);
        }

        void add(int row, float score) {
            if (!enters(row, score)) {
                return;
            }
            int j = n < rows.length ? n++ : n - 1;
            for (; j > 0 && better(row, score, rows[j - 1], scores[j - 1]); j--) {
                rows[j] = rows[j - 1];
                scores[j] = scores[j - 1];
            }
            rows[j] = row;
            scores[j] = score;
        }

        private static boolean better(int row, float score, int otherRow, float otherScore) {
            return score > otherScore || score == otherScore && row < otherRow;
        }

        List<dev.recsys.wire.ScoredItem> items(ItemVocabulary vocabulary) {
            List<dev.recsys.wire.ScoredItem> out = new java.util.ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(new dev.recsys.wire.ScoredItem(vocabulary.itemId(rows[i]), scores[i]));
            }
            return out;
        }
    }

    /** The model's probability of a row, times {@code 1 - w} when the table voted: as {@link #mix} computes it. */
    private static float modelSide(float score, float max, float sum, boolean voted, double weight) {
        float p = (float) Math.exp((double) score - max);
        p /= sum;
        return voted ? p * (float) (1 - weight) : p;
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
