package dev.recsys.core.quality;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lists a blend served against the lists the co-occurrence table alone gives to the same requests, each
 * pair scored by the user's next positive item: a paired comparison. Two separate runs, one per variant, also
 * differ in how the stream's users interleave, which moves the table's own NDCG@10 by about as much as the
 * blend and the table differ on a sparse set; on the same requests that noise is gone, and where the blend
 * answered with the table's list the pair scores the same. Bounded: the pending pair of at most
 * {@code maxUsers} users (the least recently served forgotten first), ten ids each side. Thread-safe.
 */
public final class TableComparison {

    /** The pair served to a user and not yet scored. */
    private record Pair(List<String> served, List<String> table) {
    }

    /** Running sums since start. */
    public record Totals(long outcomes, long differing, double servedGain, double tableGain,
            double differenceSquares) {

        /** NDCG@10 of the served lists over the scored pairs; NaN before any. */
        public double servedNdcg10() {
            return outcomes == 0 ? Double.NaN : servedGain / outcomes;
        }

        /** NDCG@10 of the table's lists on the same requests; NaN before any. */
        public double tableNdcg10() {
            return outcomes == 0 ? Double.NaN : tableGain / outcomes;
        }

        /** The standard error of the mean paired difference (served minus table); NaN below two pairs. */
        public double differenceStandardError() {
            return standardError(outcomes, servedGain - tableGain, differenceSquares);
        }
    }

    /**
     * The standard error of a mean from the count, sum and sum of squares of its terms; NaN below two.
     */
    public static double standardError(long n, double sum, double squares) {
        if (n < 2) {
            return Double.NaN;
        }
        double mean = sum / n;
        return Math.sqrt(Math.max(0, squares - n * mean * mean) / (n - 1) / n);
    }

    private final Map<String, Pair> pending;
    private long outcomes;
    private long differing;
    private double servedGain;
    private double tableGain;
    private double differenceSquares;

    public TableComparison(int maxUsers) {
        if (maxUsers < 1) {
            throw new IllegalArgumentException("a comparison needs room for at least one user, was " + maxUsers);
        }
        this.pending = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Pair> eldest) {
                return size() > maxUsers;
            }
        };
    }

    /** What a user was served and what the table alone gave to the same request; replaces an unscored pair. */
    public synchronized void listed(String user, List<String> served, List<String> table) {
        pending.put(user, new Pair(ListSums.top(served), ListSums.top(table)));
    }

    /** An event applied to the user: a positive one scores their pending pair. */
    public synchronized void applied(String user, String item, boolean positive) {
        if (!positive) {
            return;
        }
        Pair p = pending.remove(user);
        if (p == null) {
            return;
        }
        outcomes++;
        if (!p.served.equals(p.table)) {
            differing++;
        }
        double s = ListSums.gain(p.served.indexOf(item));
        double t = ListSums.gain(p.table.indexOf(item));
        servedGain += s;
        tableGain += t;
        differenceSquares += (s - t) * (s - t);
    }

    public synchronized Totals totals() {
        return new Totals(outcomes, differing, servedGain, tableGain, differenceSquares);
    }
}
