package dev.recsys.core.sasrec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.Recommendations;
import dev.recsys.core.ScoreQuery;
import dev.recsys.core.Scorer;
import dev.recsys.wire.ScoredItem;

/**
 * Serves the current {@link ModelSnapshot}: every query with at least one known item goes into one forward
 * pass on one snapshot, whose version the answers carry; unknown items in a history are skipped. Users with
 * no known item, and everyone before a first snapshot exists, get the fallback scorer's answer (popularity),
 * whose model version says so.
 */
public final class SasRecScorer implements Scorer {

    private final ServingModel serving;
    private final ItemVocabulary vocabulary;
    private final Scorer fallback;
    private final ScoringBackend backend;

    public SasRecScorer(ServingModel serving, ItemVocabulary vocabulary, Scorer fallback) {
        this(serving, vocabulary, fallback, ScoringBackend.PYTORCH);
    }

    public SasRecScorer(ServingModel serving, ItemVocabulary vocabulary, Scorer fallback, ScoringBackend backend) {
        this.serving = serving;
        this.vocabulary = vocabulary;
        this.fallback = fallback;
        this.backend = backend;
    }

    /** A scorer for one fixed model. */
    public static SasRecScorer of(SasRecModel model, ItemVocabulary vocabulary, Scorer fallback, String name) {
        return new SasRecScorer(new ServingModel(new ModelSnapshot(model, "sasrec@" + name, System.currentTimeMillis())),
                vocabulary, fallback);
    }

    @Override
    public List<Recommendations> score(List<ScoreQuery> queries) {
        Optional<ModelSnapshot> held = serving.acquire();
        if (held.isEmpty()) {
            return fallback.score(queries);
        }
        ModelSnapshot snapshot = held.get();
        try {
            return score(queries, snapshot);
        } finally {
            snapshot.release();
        }
    }

    private List<Recommendations> score(List<ScoreQuery> queries, ModelSnapshot snapshot) {
        // Items added to the vocabulary after this snapshot was taken have no row in it yet.
        int rows = snapshot.rows();
        Recommendations[] out = new Recommendations[queries.size()];
        List<int[]> histories = new ArrayList<>();
        List<Integer> modelled = new ArrayList<>();
        List<ScoreQuery> cold = new ArrayList<>();
        List<Integer> coldAt = new ArrayList<>();
        for (int q = 0; q < queries.size(); q++) {
            int[] known = queries.get(q).sequence().stream().mapToInt(vocabulary::row)
                    .filter(snapshot::mature).toArray();
            if (known.length == 0) {
                cold.add(queries.get(q));
                coldAt.add(q);
            } else {
                histories.add(known);
                modelled.add(q);
            }
        }
        if (!histories.isEmpty()) {
            float[][] scores = backend.scores(snapshot, histories);
            for (int i = 0; i < modelled.size(); i++) {
                ScoreQuery q = queries.get(modelled.get(i));
                out[modelled.get(i)] = new Recommendations(top(scores[i], q), snapshot.version());
            }
        }
        if (!cold.isEmpty()) {
            List<Recommendations> answers = fallback.score(cold);
            for (int i = 0; i < cold.size(); i++) {
                out[coldAt.get(i)] = answers.get(i);
            }
        }
        return Arrays.asList(out);
    }

    private List<ScoredItem> top(float[] scores, ScoreQuery q) {
        int rows = Math.min(scores.length, vocabulary.rows());
        boolean[] excluded = new boolean[rows];
        excluded[0] = true;
        for (String item : q.exclude()) {
            int r = vocabulary.row(item);
            if (r > 0 && r < rows) {
                excluded[r] = true;
            }
        }
        // Selection of the k best: k is at most 100, the catalogue tens of thousands.
        int k = q.k();
        int[] best = new int[k];
        int n = 0;
        for (int i = 1; i < rows; i++) {
            if (excluded[i] || (n == k && scores[i] <= scores[best[k - 1]])) {
                continue;
            }
            int j = n < k ? n++ : k - 1;
            best[j] = i;
            for (; j > 0 && scores[best[j]] > scores[best[j - 1]]; j--) {
                int t = best[j];
                best[j] = best[j - 1];
                best[j - 1] = t;
            }
        }
        List<ScoredItem> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            items.add(new ScoredItem(vocabulary.itemId(best[i]), scores[best[i]]));
        }
        return items;
    }
}
