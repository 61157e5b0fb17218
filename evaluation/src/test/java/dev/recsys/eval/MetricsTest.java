package dev.recsys.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void rankingMetricsByHand() {
        // Two users: target at rank 0 and at rank 12 (0-based).
        Metrics m = new Metrics(20, new double[21], null);
        m.add(0, new int[] { 1 });
        m.add(12, new int[] { 2 });
        Metrics.Result r = m.result();
        assertEquals(0.5, r.hr10(), 1e-12);
        assertEquals(0.5, r.ndcg10(), 1e-12); // (1 + 0) / 2
        assertEquals(1.0, r.hr20(), 1e-12);
        assertEquals((1 + 1 / (Math.log(14) / Math.log(2))) / 2, r.ndcg20(), 1e-12);
        assertEquals((1 + 1.0 / 13) / 2, r.mrr(), 1e-12);
        assertNull(r.ild10());
    }

    @Test
    void eachUsersNdcgIsKeptInTheOrderAdded() {
        Metrics m = new Metrics(200, new double[201], null);
        int[] ranks = new int[100]; // more users than the first array holds, so it must grow
        for (int u = 0; u < ranks.length; u++) {
            ranks[u] = u % 12;
            m.add(ranks[u], new int[] { 1 });
        }
        double[] perUser = m.ndcg10PerUser();
        assertEquals(100, perUser.length);
        assertEquals(1.0, perUser[0], 1e-12);
        assertEquals(0.5, perUser[2], 1e-12);
        assertEquals(0.0, perUser[10], 1e-12); // rank 10 is outside the top 10
        assertEquals(1.0, perUser[96], 1e-12); // 96 % 12 == 0
        double sum = 0;
        for (double v : perUser) {
            sum += v;
        }
        assertEquals(m.result().ndcg10(), sum / perUser.length, 1e-12);
    }

    @Test
    void ndcgOfRankTwoIsOneOverLog2Of4() {
        assertEquals(0.5, Metrics.ndcg(2, 10), 1e-12);
        assertEquals(0.0, Metrics.ndcg(10, 10), 1e-12);
        assertEquals(1.0, Metrics.hitRate(9, 10), 1e-12);
    }

    @Test
    void coverageNoveltyAndDiversityByHand() {
        double[] info = { 0, 1, 2, 3, 4 };
        List<Set<String>> categories = List.of(Set.of(), Set.of("a"), Set.of("a", "b"), Set.of("c"), Set.of("c"));
        Metrics m = new Metrics(4, info, categories);
        m.add(0, new int[] { 1, 2 });
        m.add(0, new int[] { 3, 4 });
        Metrics.Result r = m.result();
        assertEquals(1.0, r.coverage10(), 1e-12); // items 1..4 of 4
        assertEquals((1 + 2 + 3 + 4) / 4.0, r.novelty10(), 1e-12);
        // {a} vs {a,b}: 1 - 1/2; {c} vs {c}: 0. Mean over lists: 0.25.
        assertEquals(0.25, r.ild10(), 1e-12);
    }

    @Test
    void evaluatorRanksAgainstUnseenItemsOnly() {
        List<int[]> train = List.of(new int[] { 1, 2 }, new int[] { 2, 3 });
        Evaluator evaluator = new Evaluator(6, train, null);
        LeaveOneOut.Task task = new LeaveOneOut.Task();
        task.inputs.add(new int[] { 5, 4 });
        task.targets.add(3);
        // Scores 5 > 4 > 3 > 2 > 1, but 5 and 4 are the user's history: the target ranks first.
        Ranker byRow = new Ranker() {
            public String name() {
                return "by row";
            }

            public float[][] scores(List<int[]> histories) {
                return new float[][] { { 0, 1, 2, 3, 4, 5 } };
            }
        };
        Metrics.Result r = evaluator.evaluate(byRow, task);
        assertEquals(1.0, r.hr10(), 1e-12);
        assertEquals(1.0, r.mrr(), 1e-12);
        assertEquals(3 / 5.0, r.coverage10(), 1e-12); // top list: 3, 2, 1
    }
}
