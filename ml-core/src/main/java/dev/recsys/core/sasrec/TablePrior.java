package dev.recsys.core.sasrec;

import dev.recsys.core.neighbours.Votes;

/**
 * The co-occurrence table's vote as a prior on the Transformer's logits: {@code log(1 + vote / FLOOR)}, 0 for
 * an item the table has no vote for. Training adds it to the logits before the softmax and serving adds the
 * same, so the model learns only what the table misses (a product of the two, trained jointly) instead of
 * relearning, worse, what the table already knows.
 */
public final class TablePrior {

    /** The vote at which the prior is log 2: below it the table's word weighs little against the model's. */
    public static final double FLOOR = Double.parseDouble(System.getProperty("recsys.prior.floor", "1e-3"));

    private TablePrior() {
    }

    public static float of(double vote) {
        return (float) Math.log1p(vote / FLOOR);
    }

    /** Each voted item's prior: its vocabulary row (0 when it has none) and value, in {@code votes}' order. */
    public static Sparse of(Votes votes, java.util.function.ToIntFunction<String> rowOf) {
        int[] rows = new int[votes.size()];
        float[] values = new float[votes.size()];
        for (int i = 0; i < votes.size(); i++) {
            rows[i] = rowOf.applyAsInt(votes.item(i));
            values[i] = of(votes.weight(i));
        }
        return new Sparse(rows, values);
    }

    /** A prior over vocabulary rows, 0 outside {@code rows}. */
    public record Sparse(int[] rows, float[] values) {
        public static final Sparse NONE = new Sparse(new int[0], new float[0]);

        /** Adds this prior to {@code logits[from + row]} for each row below {@code limit}. */
        public void addTo(float[] logits, int from, int limit) {
            for (int i = 0; i < rows.length; i++) {
                if (rows[i] > 0 && rows[i] < limit) {
                    logits[from + rows[i]] += values[i];
                }
            }
        }
    }
}
