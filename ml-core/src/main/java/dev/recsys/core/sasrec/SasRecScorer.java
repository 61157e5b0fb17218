package dev.recsys.core.sasrec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.recsys.core.ItemFilter;
import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.Recommendations;
import dev.recsys.core.ScoreQuery;
import dev.recsys.core.Scorer;
import dev.recsys.core.SimilarItems;
import dev.recsys.wire.ScoredItem;

/**
 * Serves the current {@link ModelSnapshot}: every query with at least one known item goes into one forward
 * pass on one snapshot, whose version the answers carry; unknown items in a history are skipped. Users with
 * no known item, and everyone before a first snapshot exists, get the fallback scorer's answer (popularity),
 * whose model version says so, flagged as a cold start. Blended, top-k queries whose history the gate gives
 * to the table alone are answered by the table's scorer without a forward pass, unless it falls short of k
 * (then the blend answers). Each answer is the top k its filter allows, or its re-rank candidates in score
 * order; similar items compare the snapshot's item embeddings.
 */
public final class SasRecScorer implements Scorer, SimilarItems {

    /** What a blended answer's model version carries after the snapshot's, before the table's share. */
    private static final String BLENDED = "+cooccurrence";

    private final ServingModel serving;
    private final ItemVocabulary vocabulary;
    private final Scorer fallback;
    private final ScoringBackend backend;
    /** Mixes an item-to-item table into the model's ranking; null: the model alone. */
    private final NeighbourBlend blend;

    public SasRecScorer(ServingModel serving, ItemVocabulary vocabulary, Scorer fallback) {
        this(serving, vocabulary, fallback, ScoringBackend.PYTORCH);
    }

    public SasRecScorer(ServingModel serving, ItemVocabulary vocabulary, Scorer fallback, ScoringBackend backend) {
        this(serving, vocabulary, fallback, backend, null);
    }

    /** @param blend mixes an item-to-item table into every ranking; null for the model alone */
    public SasRecScorer(ServingModel serving, ItemVocabulary vocabulary, Scorer fallback, ScoringBackend backend,
            NeighbourBlend blend) {
        this.blend = blend;
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
        Recommendations[] out = new Recommendations[queries.size()];
        List<int[]> histories = new ArrayList<>();
        List<Integer> modelled = new ArrayList<>();
        List<ScoreQuery> cold = new ArrayList<>();
        List<Integer> coldAt = new ArrayList<>();
        for (int q = 0; q < queries.size(); q++) {
            ScoreQuery query = queries.get(q);
            // Items added to the vocabulary after this snapshot was taken have no row in it yet.
            int[] known = query.sequence().stream().mapToInt(vocabulary::row).filter(snapshot::mature).toArray();
            if (known.length == 0) {
                cold.add(query);
                coldAt.add(q);
            } else {
                // Where the gate found no share that beats the table for histories this long: no forward pass.
                Recommendations alone = blend != null && !query.explain() && !query.rerank()
                        && blend.tableAlone(query.sequence().size()) ? tableAlone(query, snapshot) : null;
                if (alone != null) {
                    out[q] = alone;
                } else {
                    histories.add(known);
                    modelled.add(q);
                }
            }
        }
        if (!histories.isEmpty()) {
            // Queries that ask for explanations take a pass of their own, which also gives the attention paths.
            List<Integer> explained = new ArrayList<>();
            List<Integer> plain = new ArrayList<>();
            int[] pathAt = new int[modelled.size()];
            for (int i = 0; i < modelled.size(); i++) {
                if (queries.get(modelled.get(i)).explain()) {
                    pathAt[i] = explained.size();
                    explained.add(i);
                } else {
                    plain.add(i);
                }
            }
            float[][] scores = new float[histories.size()][];
            SasRecInference.Explained paths = null;
            List<Integer> selected = new ArrayList<>();
            List<Integer> allScores = new ArrayList<>();
            for (int i : plain) {
                (queries.get(modelled.get(i)).rerank() ? allScores : selected).add(i);
            }
            if (!selected.isEmpty()) {
                // Top-k queries: masked and selected where the model lives; only their candidates come back.
                List<ScoreQuery> asked = selected.stream().map(i -> queries.get(modelled.get(i))).toList();
                List<ScoredItem>[] top = top(asked, selected.stream().map(histories::get).toList(), snapshot);
                for (int j = 0; j < selected.size(); j++) {
                    out[modelled.get(selected.get(j))] = new Recommendations(top[j], version(snapshot), false);
                }
            }
            if (!allScores.isEmpty()) {
                float[][] s = backend.scores(snapshot, allScores.stream().map(histories::get).toList());
                for (int j = 0; j < allScores.size(); j++) {
                    scores[allScores.get(j)] = s[j];
                }
            }
            if (!explained.isEmpty()) {
                paths = SasRecInference.scoresWithPaths(snapshot.model(),
                        explained.stream().map(histories::get).toList());
                for (int j = 0; j < explained.size(); j++) {
                    scores[explained.get(j)] = paths.scores()[j];
                }
            }
            ModelExplainer explainer = new ModelExplainer(snapshot, vocabulary, blend);
            for (int i = 0; i < modelled.size(); i++) {
                if (scores[i] == null) {
                    continue; // answered from the engine's selection above
                }
                ScoreQuery q = queries.get(modelled.get(i));
                float[] s = blend == null ? scores[i] : blend.mix(q.sequence(), scores[i], snapshot::mature, vocabulary);
                List<ScoredItem> items = q.rerank() ? rerank(s, q.candidates()) : top(s, q);
                if (q.explain()) {
                    items = explainer.explain(items, histories.get(i), q.sequence(), scores[i], s,
                            paths.paths()[pathAt[i]], paths.length());
                }
                out[modelled.get(i)] = new Recommendations(items, version(snapshot), false);
            }
        }
        if (!cold.isEmpty()) {
            List<Recommendations> answers = fallback.score(cold);
            for (int i = 0; i < cold.size(); i++) {
                Recommendations a = answers.get(i);
                // Nothing in the sequence was known to the model, whatever the fallback makes of it.
                out[coldAt.get(i)] = new Recommendations(a.items(), a.modelVersion(), true);
            }
        }
        return Arrays.asList(out);
    }

    /**
     * Each query's top k from the engine's selection: the model's best allowed rows, and, blended, every row
     * the table votes for, each scored as {@link NeighbourBlend#mix} would score it. That is the same top k as
     * over every row: a row outside both sets has no vote, so it scores at most what the model's k-th row does.
     */
    @SuppressWarnings("unchecked")
    private List<ScoredItem>[] top(List<ScoreQuery> queries, List<int[]> histories, ModelSnapshot snapshot) {
        int k = queries.stream().mapToInt(ScoreQuery::k).max().orElse(1);
        List<CandidateRequest.RowMask> masks = new ArrayList<>(queries.size());
        List<int[]> named = new ArrayList<>(queries.size());
        List<NeighbourBlend.Ballot> ballots = new ArrayList<>(queries.size());
        for (ScoreQuery q : queries) {
            masks.add(new CandidateRequest.RowMask(q.filter().blockedRows(vocabulary), q.filter().onlyRows(vocabulary)));
            NeighbourBlend.Ballot ballot = blend == null ? null : blend.ballot(q.sequence(), q.filter(), vocabulary);
            ballots.add(ballot);
            named.add(ballot == null ? new int[0] : ballot.rows());
        }
        // Unblended, the model's raw scores rank every row, trained or not, as they always have.
        int[] untrained = blend == null ? new int[0] : snapshot.untrainedRows();
        Candidates c = backend.candidates(snapshot, histories,
                new CandidateRequest(k, masks, named, untrained, blend != null));
        List<ScoredItem>[] out = new List[queries.size()];
        for (int b = 0; b < queries.size(); b++) {
            out[b] = blend == null ? items(c.rows()[b], c.scores()[b], queries.get(b).k())
                    : blend.top(ballots.get(b), c, b, queries.get(b).k(), vocabulary);
        }
        return out;
    }

    private List<ScoredItem> items(int[] rows, float[] scores, int k) {
        List<ScoredItem> items = new ArrayList<>(Math.min(k, rows.length));
        for (int i = 0; i < rows.length && i < k; i++) {
            items.add(new ScoredItem(vocabulary.itemId(rows[i]), scores[i]));
        }
        return items;
    }

    /**
     * The table scorer's answer, or null when it falls short of k items (items no one has touched yet are in
     * neither its votes nor its popularity): the blend, whose model side ranks every row, answers those.
     */
    private Recommendations tableAlone(ScoreQuery query, ModelSnapshot snapshot) {
        List<ScoredItem> items = blend.table().score(List.of(query)).get(0).items();
        return items.size() < query.k() ? null : new Recommendations(items, version(snapshot), false);
    }

    /** The snapshot's version, with the table's share when blended: {@code sasrec@x+n+cooccurrence0.42}. */
    private String version(ModelSnapshot snapshot) {
        return blend == null ? snapshot.version()
                : snapshot.version() + String.format(java.util.Locale.ROOT, BLENDED + "%.2f", blend.weight());
    }

    /** Whether an answer of this model version came from a blend with the co-occurrence table. */
    public static boolean blended(String modelVersion) {
        return modelVersion != null && modelVersion.contains(BLENDED);
    }

    private List<ScoredItem> top(float[] scores, ScoreQuery q) {
        int rows = Math.min(scores.length, vocabulary.rows());
        return best(scores, q.filter().allowedRows(vocabulary, rows), q.k(), -1);
    }

    /** The k highest-scoring allowed rows, best first; {@code self} (or -1) is never returned. */
    private List<ScoredItem> best(float[] scores, boolean[] allowed, int k, int self) {
        if (self > 0 && self < allowed.length) {
            allowed[self] = false;
        }
        int[] best = Candidates.best(scores, allowed, k);
        int n = best.length;
        List<ScoredItem> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            items.add(new ScoredItem(vocabulary.itemId(best[i]), scores[best[i]]));
        }
        return items;
    }

    /** The candidates by score; those without a row in this snapshot go last, flagged, in the given order. */
    private List<ScoredItem> rerank(float[] scores, List<String> candidates) {
        int rows = Math.min(scores.length, vocabulary.rows());
        List<ScoredItem> known = new ArrayList<>(candidates.size());
        List<ScoredItem> unknown = new ArrayList<>();
        for (String c : candidates) {
            int r = vocabulary.row(c);
            if (r > 0 && r < rows) {
                known.add(new ScoredItem(c, scores[r]));
            } else {
                unknown.add(ScoredItem.unknown(c));
            }
        }
        known.sort((a, b) -> Double.compare(b.score(), a.score()));
        known.addAll(unknown);
        return known;
    }

    /**
     * Cosine similarity of the snapshot's item embeddings. Only trained rows take part, on either side: a
     * row grown online starts near zero, and its direction says nothing yet.
     */
    @Override
    public Optional<Recommendations> similar(String itemId, ItemFilter filter, int k) {
        Optional<ModelSnapshot> held = serving.acquire();
        if (held.isEmpty()) {
            return Optional.empty();
        }
        ModelSnapshot snapshot = held.get();
        try {
            int self = vocabulary.row(itemId);
            if (!snapshot.mature(self)) {
                return Optional.empty();
            }
            float[] unit = snapshot.unitItemEmbeddings();
            int d = snapshot.model().config().dim();
            int rows = Math.min(snapshot.rows(), vocabulary.rows());
            boolean[] allowed = filter.allowedRows(vocabulary, rows);
            float[] cosine = new float[rows];
            for (int r = 1; r < rows; r++) {
                if (!allowed[r] || !snapshot.mature(r)) {
                    allowed[r] = false;
                    continue;
                }
                float dot = 0;
                for (int i = 0; i < d; i++) {
                    dot += unit[self * d + i] * unit[r * d + i];
                }
                cosine[r] = dot;
            }
            return Optional.of(new Recommendations(best(cosine, allowed, k, self), snapshot.version(), false));
        } finally {
            snapshot.release();
        }
    }
}
