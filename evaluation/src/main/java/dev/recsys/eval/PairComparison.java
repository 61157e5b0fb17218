package dev.recsys.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Two variants of a stream replay compared event by event: the NDCG@10 of taking, for each event, whichever list
 * ranked the item higher (an upper bound on any gate that chooses between them), and, when asked, fusions of
 * their top-50 lists by weighted reciprocal rank. Says whether a better way to combine the two could reach a
 * figure before anyone builds it.
 */
final class PairComparison {

    static final int DEEP = 50;
    static final double[] SHARES = { 0.5, 0.6, 0.7, 0.8 };
    static final double[] CONSTANTS = { 5, 20, 60 };

    private final List<String> names;
    private final int first;
    private final int second;
    private final boolean fuse;
    private final int k;
    private final List<List<String>> deep = new ArrayList<>(List.of(List.of(), List.of()));
    private final double[][] fusedGain = new double[SHARES.length][CONSTANTS.length];
    private double bestGain;
    private final long[] wins = new long[2];

    /** Compares nothing: every variant scored on its top k, as without it. */
    static PairComparison none(int k) {
        return new PairComparison(k);
    }

    private PairComparison(int k) {
        this.names = List.of();
        this.first = -1;
        this.second = -1;
        this.fuse = false;
        this.k = k;
    }

    PairComparison(List<String> names, List<String> variants, boolean fuse, int k) {
        this.names = names;
        this.first = variants.indexOf(names.get(0));
        this.second = variants.indexOf(names.get(1));
        if (names.size() != 2 || first < 0 || second < 0) {
            throw new IllegalArgumentException("--oracle names two of the variants run, not " + names);
        }
        this.fuse = fuse;
        this.k = k;
    }

    /** How many items to ask variant {@code v} for: its top 50 when it is fused. */
    int depth(int v) {
        return fuse && (v == first || v == second) ? DEEP : k;
    }

    /** Keeps variant {@code v}'s whole list and returns its top k, which is what the variant is scored on. */
    dev.recsys.wire.ScoreReply keep(int v, dev.recsys.wire.ScoreReply reply) {
        if (v == first || v == second) {
            deep.set(v == first ? 0 : 1, reply.items().stream().map(x -> x.itemId()).toList());
        }
        return new dev.recsys.wire.ScoreReply(reply.items().subList(0, Math.min(k, reply.items().size())),
                reply.modelVersion());
    }

    /** One scored event: each variant's gain on it, and the item that came. */
    void score(double[] eventGain, String target) {
        if (first < 0) {
            return;
        }
        double a = eventGain[first];
        double b = eventGain[second];
        bestGain += Math.max(a, b);
        wins[0] += a > b ? 1 : 0;
        wins[1] += b > a ? 1 : 0;
        if (fuse) {
            for (int s = 0; s < SHARES.length; s++) {
                for (int c = 0; c < CONSTANTS.length; c++) {
                    int rank = fusedRank(deep.get(0), deep.get(1), SHARES[s], CONSTANTS[c], target);
                    fusedGain[s][c] += rank < k ? 1 / (Math.log(rank + 2) / Math.log(2)) : 0;
                }
            }
        }
    }

    void print(long scored) {
        if (first < 0) {
            return;
        }
        System.out.printf(Locale.ROOT, "per-event best of %s and %s: NDCG@10 %.4f (%s ranked the item higher in %d "
                + "events, %s in %d)%n", names.get(0), names.get(1), bestGain / scored, names.get(0), wins[0],
                names.get(1), wins[1]);
        if (fuse) {
            for (int s = 0; s < SHARES.length; s++) {
                for (int c = 0; c < CONSTANTS.length; c++) {
                    System.out.printf(Locale.ROOT, "fused, %.1f of %s by reciprocal rank + %.0f: NDCG@10 %.4f%n",
                            SHARES[s], names.get(0), CONSTANTS[c], fusedGain[s][c] / scored);
                }
            }
        }
    }

    /** The target's rank (0-based, at most {@code k}) in the weighted reciprocal-rank fusion; ties count against it. */
    int fusedRank(List<String> a, List<String> b, double share, double constant, String target) {
        Map<String, Double> score = new HashMap<>();
        for (int r = 0; r < a.size(); r++) {
            score.merge(a.get(r), share / (constant + r + 1), Double::sum);
        }
        for (int r = 0; r < b.size(); r++) {
            score.merge(b.get(r), (1 - share) / (constant + r + 1), Double::sum);
        }
        Double mine = score.get(target);
        if (mine == null) {
            return k;
        }
        int above = 0;
        for (var e : score.entrySet()) {
            above += !e.getKey().equals(target) && e.getValue() >= mine ? 1 : 0;
        }
        return Math.min(above, k);
    }
}
