package dev.recsys.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.recsys.core.neighbours.ItemNeighbours;
import dev.recsys.core.neighbours.ItemTables;
import dev.recsys.core.neighbours.NeighbourScorer;

/** The baselines every model is compared with, under the same protocol. */
public final class Baselines {

    private Baselines() {
    }

    /** Items by how many training interactions they have. */
    public static Ranker popularity(int rows, List<int[]> train) {
        float[] counts = counts(rows, train);
        return ranker("popularity", histories -> {
            float[][] out = new float[histories.size()][];
            for (int u = 0; u < out.length; u++) {
                out[u] = counts.clone();
            }
            return out;
        });
    }

    /**
     * Item-to-item co-occurrence (item-kNN): an item scores the cosine-normalised number of training users
     * who had it together with each of the user's last {@code lastItems} items, the newest weighted 1, the
     * one before 1/2, and so on (recency-weighted neighbourhoods). Popularity breaks ties.
     */
    public static Ranker itemKnn(int rows, List<int[]> train, int lastItems) {
        float[] counts = counts(rows, train);
        List<List<Integer>> usersOf = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            usersOf.add(new ArrayList<>());
        }
        List<int[]> distinct = new ArrayList<>();
        float[] userCount = new float[rows];
        for (int u = 0; u < train.size(); u++) {
            int[] items = java.util.Arrays.stream(train.get(u)).distinct().toArray();
            distinct.add(items);
            for (int i : items) {
                usersOf.get(i).add(u);
                userCount[i]++;
            }
        }
        float maxCount = max(counts);
        return ranker("item-kNN", histories -> {
            float[][] out = new float[histories.size()][];
            for (int h = 0; h < out.length; h++) {
                int[] history = histories.get(h);
                float[] s = new float[rows];
                for (int back = 1; back <= Math.min(lastItems, history.length); back++) {
                    int anchor = history[history.length - back];
                    float[] co = new float[rows];
                    for (int u : usersOf.get(anchor)) {
                        for (int i : distinct.get(u)) {
                            co[i]++;
                        }
                    }
                    float recency = 1f / back;
                    for (int i = 1; i < rows; i++) {
                        if (co[i] > 0) {
                            s[i] += recency * co[i] / (float) Math.sqrt(userCount[anchor] * userCount[i]);
                        }
                    }
                }
                for (int i = 1; i < rows; i++) {
                    s[i] += 1e-6f * counts[i] / maxCount;
                }
                out[h] = s;
            }
            return out;
        });
    }

    /**
     * The worker's online co-occurrence table ({@link ItemNeighbours}, window 5, links weighted 1/gap) fed
     * the training sequences in order, scored as the worker scores it ({@link NeighbourScorer}: the last
     * items' neighbour distributions, newest weighted most); popularity breaks ties and fills in.
     */
    public static Ranker cooccurrence(int rows, List<int[]> train) {
        float[] counts = counts(rows, train);
        float maxCount = max(counts);
        ItemNeighbours table = ItemNeighbours.cooccurrence(ItemTables.COOCCURRENCE_WINDOW);
        for (int[] s : train) {
            table.observeSequence(java.util.Arrays.stream(s).mapToObj(Integer::toString).toList());
        }
        NeighbourScorer scorer = NeighbourScorer.cooccurrence(table, null);
        return ranker("co-occurrence (window 5)", histories -> {
            float[][] out = new float[histories.size()][];
            for (int h = 0; h < out.length; h++) {
                List<String> history = java.util.Arrays.stream(histories.get(h)).mapToObj(Integer::toString).toList();
                float[] s = new float[rows];
                for (int i = 1; i < rows; i++) {
                    s[i] = 1e-6f * counts[i] / maxCount;
                }
                scorer.distribution(history).forEach((item, p) -> s[Integer.parseInt(item)] += (float) p);
                out[h] = s;
            }
            return out;
        });
    }

    /** First-order Markov chain: P(next | last item) from training transitions; popularity breaks ties. */
    public static Ranker markovChain(int rows, List<int[]> train) {
        float[] counts = counts(rows, train);
        float maxCount = max(counts);
        Map<Integer, Map<Integer, Integer>> transitions = new HashMap<>();
        int[] outgoing = new int[rows];
        for (int[] s : train) {
            for (int i = 1; i < s.length; i++) {
                transitions.computeIfAbsent(s[i - 1], k -> new HashMap<>()).merge(s[i], 1, Integer::sum);
                outgoing[s[i - 1]]++;
            }
        }
        return ranker("Markov chain", histories -> {
            float[][] out = new float[histories.size()][];
            for (int h = 0; h < out.length; h++) {
                int[] history = histories.get(h);
                float[] s = new float[rows];
                for (int i = 1; i < rows; i++) {
                    s[i] = 1e-6f * counts[i] / maxCount;
                }
                if (history.length > 0) {
                    int last = history[history.length - 1];
                    for (var e : transitions.getOrDefault(last, Map.of()).entrySet()) {
                        s[e.getKey()] += e.getValue() / (float) outgoing[last];
                    }
                }
                out[h] = s;
            }
            return out;
        });
    }

    private static float[] counts(int rows, List<int[]> train) {
        float[] c = new float[rows];
        for (int[] s : train) {
            for (int i : s) {
                c[i]++;
            }
        }
        return c;
    }

    private static float max(float[] a) {
        float m = 1;
        for (float x : a) {
            m = Math.max(m, x);
        }
        return m;
    }

    private static Ranker ranker(String name, java.util.function.Function<List<int[]>, float[][]> scores) {
        return new Ranker() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public float[][] scores(List<int[]> histories) {
                return scores.apply(histories);
            }
        };
    }
}
