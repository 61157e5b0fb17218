package dev.recsys.eval;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Ranks the whole catalogue for every user of a task, the user's history filtered out (the target itself
 * never is), and scores the target's rank. Ties are broken by one fixed random order of items, the same
 * for every ranker, so a ranker gains nothing from ties.
 */
public final class Evaluator {

    static final int BATCH = 256;

    private final int rows;
    private final double[] selfInformation;
    private final List<Set<String>> categories;
    private final int[] tieOrder;

    /**
     * @param rows       item rows including padding row 0
     * @param train      training sequences, for novelty
     * @param categories per row, or null
     */
    public Evaluator(int rows, List<int[]> train, List<Set<String>> categories) {
        this.rows = rows;
        this.categories = categories;
        int[] users = new int[rows];
        for (int[] s : train) {
            Set<Integer> seen = new HashSet<>();
            for (int i : s) {
                if (seen.add(i)) {
                    users[i]++;
                }
            }
        }
        selfInformation = new double[rows];
        for (int i = 0; i < rows; i++) {
            double share = Math.max(users[i], 1) / (double) (train.size() + 1);
            selfInformation[i] = -Math.log(share) / Math.log(2);
        }
        tieOrder = new int[rows];
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new Random(12345));
        for (int i = 0; i < rows; i++) {
            tieOrder[order.get(i)] = i;
        }
    }

    public Metrics.Result evaluate(Ranker ranker, LeaveOneOut.Task task) {
        return measure(ranker, task).result();
    }

    /** The metrics of every user of the task, in the task's order, which is the same for every ranker. */
    public Metrics measure(Ranker ranker, LeaveOneOut.Task task) {
        Metrics metrics = new Metrics(rows - 1, selfInformation, categories);
        for (int from = 0; from < task.size(); from += BATCH) {
            int to = Math.min(task.size(), from + BATCH);
            List<int[]> inputs = task.inputs.subList(from, to);
            float[][] scores = ranker.scores(inputs);
            for (int u = 0; u < inputs.size(); u++) {
                int target = task.targets.get(from + u);
                boolean[] excluded = new boolean[rows];
                excluded[0] = true;
                for (int i : inputs.get(u)) {
                    excluded[i] = true;
                }
                excluded[target] = false;
                metrics.add(rank(scores[u], target, excluded), top(scores[u], excluded, 10));
            }
        }
        return metrics;
    }

    private boolean better(float[] s, int a, int b) {
        return s[a] > s[b] || (s[a] == s[b] && tieOrder[a] < tieOrder[b]);
    }

    int rank(float[] s, int target, boolean[] excluded) {
        int rank = 0;
        for (int i = 1; i < s.length; i++) {
            if (i != target && !excluded[i] && better(s, i, target)) {
                rank++;
            }
        }
        return rank;
    }

    int[] top(float[] s, boolean[] excluded, int k) {
        int[] best = new int[k];
        int n = 0;
        for (int i = 1; i < s.length; i++) {
            if (excluded[i]) {
                continue;
            }
            if (n < k) {
                best[n++] = i;
            } else if (better(s, i, best[k - 1])) {
                best[k - 1] = i;
            } else {
                continue;
            }
            for (int j = n - 1; j > 0 && better(s, best[j], best[j - 1]); j--) {
                int t = best[j];
                best[j] = best[j - 1];
                best[j - 1] = t;
            }
        }
        return java.util.Arrays.copyOf(best, n);
    }
}
