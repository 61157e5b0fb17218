package dev.recsys.eval;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Set;

import dev.recsys.core.quality.ListSums;

/**
 * Full-ranking metrics, accumulated user by user: HR and NDCG at 10 and 20, MRR; and over the top-10
 * lists, catalogue coverage, novelty (mean self-information, -log2 of the share of training users who
 * interacted with an item) and intra-list diversity (mean pairwise 1 - Jaccard of item categories).
 */
public final class Metrics {

    private final int catalogue;
    private final double[] selfInformation;
    private final List<Set<String>> categories;
    private final BitSet covered = new BitSet();
    private double hr10;
    private double ndcg10;
    private double hr20;
    private double ndcg20;
    private double mrr;
    private double novelty;
    private long listed;
    private double diversity;
    private int diverseLists;
    private int users;
    /** Each user's NDCG@10, in the order added: what a confidence interval over users resamples. */
    private double[] ndcg10s = new double[64];

    /**
     * @param catalogue       items that can be recommended (padding excluded)
     * @param selfInformation -log2 popularity per item row
     * @param categories      per item row, or null when no categories are known
     */
    public Metrics(int catalogue, double[] selfInformation, List<Set<String>> categories) {
        this.catalogue = catalogue;
        this.selfInformation = selfInformation;
        this.categories = categories;
    }

    /** @param rank 0-based rank of the target; top10 the recommended rows, best first */
    public void add(int rank, int[] top10) {
        if (users == ndcg10s.length) {
            ndcg10s = Arrays.copyOf(ndcg10s, 2 * users);
        }
        double userNdcg10 = ndcg(rank, 10);
        ndcg10s[users++] = userNdcg10;
        hr10 += hitRate(rank, 10);
        ndcg10 += userNdcg10;
        hr20 += hitRate(rank, 20);
        ndcg20 += ndcg(rank, 20);
        mrr += 1.0 / (rank + 1);
        for (int row : top10) {
            covered.set(row);
            novelty += selfInformation[row];
            listed++;
        }
        if (categories != null && top10.length > 1) {
            double sum = 0;
            int pairs = 0;
            for (int i = 0; i < top10.length; i++) {
                for (int j = i + 1; j < top10.length; j++) {
                    sum += 1 - ListSums.jaccard(categories.get(top10[i]), categories.get(top10[j]));
                    pairs++;
                }
            }
            diversity += sum / pairs;
            diverseLists++;
        }
    }

    public static double hitRate(int rank, int k) {
        return rank < k ? 1 : 0;
    }

    public static double ndcg(int rank, int k) {
        return rank < k ? 1 / (Math.log(rank + 2) / Math.log(2)) : 0;
    }

    /** NDCG@10 of each user added so far, in the order added. */
    public double[] ndcg10PerUser() {
        return Arrays.copyOf(ndcg10s, users);
    }

    public Result result() {
        double n = Math.max(1, users);
        return new Result(users, hr10 / n, ndcg10 / n, hr20 / n, ndcg20 / n, mrr / n,
                covered.cardinality() / (double) catalogue, listed == 0 ? 0 : novelty / listed,
                categories == null ? null : diversity / Math.max(1, diverseLists));
    }

    /** @param ild10 null when no item categories were given */
    public record Result(int users, double hr10, double ndcg10, double hr20, double ndcg20, double mrr,
            double coverage10, double novelty10, Double ild10) {
    }
}
