package dev.recsys.core.neighbours;

import com.carrotsearch.hppc.IntFloatHashMap;
import com.carrotsearch.hppc.cursors.IntFloatCursor;

/**
 * How an item table chooses what to drop when it is over its budget in bytes: the entries of least weight
 * {@code count / sqrt(row total)}, the geometric mean of an entry's share of its row (what it adds to a vote
 * from that row) and its count (about how often it adds it, a row being read as often as its item is taken).
 * The tail of a popular item's row goes first; a rare item's few neighbours mostly stay. On ml-1m-prefix with
 * the tables at a third of their size, co-occurrence kept its NDCG@10 (0.1243 against 0.1242 unbounded) and the
 * Markov chain lost 10%, where pruning by share lost it 15% and by count cost co-occurrence 3%
 * (docs/results/2026-12-06-item-table-budget.md). Weights are bucketed by a quarter of a power of two, so
 * finding the cut takes one counting pass and no sort.
 */
final class Pruning {

    /** Entries visited under one hold of the table's lock (a row counts one more): about a millisecond. */
    static final int SLICE = 65_536;

    /** Quarter-octave buckets from weight 2^12 (bucket 0) down past 2^-115. */
    static final int BUCKETS = 512;

    private static final int ONE = Float.floatToIntBits(1f) >> 21;

    /** Weights are scaled by this so the heaviest row entries (counts up to 2^24 over rows of 2^24) land at bucket 0. */
    private static final float SCALE = 1f / (1 << 12);

    private Pruning() {
    }

    /** The bucket of an entry's weight: 0 for the heaviest, higher for lighter ones. */
    static int bucket(float count, double rowTotal) {
        float weight = (float) (count / Math.sqrt(rowTotal)) * SCALE;
        // Exponent and two bits of mantissa: ordered as the weight, a quarter octave per step.
        int b = ONE - (Float.floatToIntBits(weight) >> 21);
        return b < 0 ? 0 : Math.min(BUCKETS - 1, b);
    }

    /** Counts of entries per bucket, over the rows it is shown. */
    static final class Histogram {
        private final long[] counts = new long[BUCKETS];

        /** Counts a row's entries; how many it had. */
        int count(IntFloatHashMap row, double rowTotal) {
            for (IntFloatCursor c : row) {
                counts[bucket(c.value, rowTotal)]++;
            }
            return row.size();
        }

        /**
         * The last bucket to keep so that at most {@code keep} entries stay (every entry in buckets up to it);
         * -1 where even the first holds more.
         */
        int cutKeeping(long keep) {
            long kept = 0;
            for (int b = 0; b < BUCKETS; b++) {
                kept += counts[b];
                if (kept > keep) {
                    return b - 1;
                }
            }
            return BUCKETS - 1;
        }
    }
}
