package dev.recsys.core.recommender;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.recsys.core.Explanations;
import dev.recsys.core.FeedbackListener;
import dev.recsys.core.FeedbackWeights;
import dev.recsys.core.ItemCatalogue;
import dev.recsys.core.ItemFilter;
import dev.recsys.core.PopularityScorer;
import dev.recsys.core.Recommendations;
import dev.recsys.core.ScoreQuery;
import dev.recsys.core.Scorer;
import dev.recsys.core.SimilarItems;
import dev.recsys.core.UserHistories;
import dev.recsys.core.UserHistory;
import dev.recsys.core.neighbours.ItemTables;
import dev.recsys.core.neighbours.NeighbourScorer;
import dev.recsys.core.neighbours.Votes;
import dev.recsys.wire.FeedbackEvent;
import dev.recsys.wire.ScoreReply;
import dev.recsys.wire.ScoreRequest;
import dev.recsys.wire.ScoredItem;

/**
 * The worker's state and its two operations: apply feedback, answer score requests. Feedback reaches the
 * user's history at once, so the next request for that user already sees it; training happens elsewhere.
 */
public final class Recommender {

    private final UserHistories histories;
    private final PopularityScorer popularity;
    private final Scorer scorer;
    private final FeedbackWeights weights;
    private final FeedbackListener listener;
    private final ItemCatalogue catalogue;
    private final ItemTables tables;
    /** Similar items when the scorer has no embeddings of its own (or none for this item yet). */
    private final NeighbourScorer cooccurrence;
    private final PredictionProbe probe;

    public Recommender(UserHistories histories, PopularityScorer popularity, Scorer scorer, FeedbackWeights weights,
            FeedbackListener listener) {
        this(histories, popularity, scorer, weights, listener, new ItemCatalogue());
    }

    /** @param catalogue item metadata, updated elsewhere; read here for hidden items and category filters */
    public Recommender(UserHistories histories, PopularityScorer popularity, Scorer scorer, FeedbackWeights weights,
            FeedbackListener listener, ItemCatalogue catalogue) {
        this(histories, popularity, ItemTables.standard(), scorer, weights, listener, catalogue);
    }

    /** @param tables item-to-item tables this recommender keeps up to date (the scorer may read them) */
    public Recommender(UserHistories histories, PopularityScorer popularity, ItemTables tables, Scorer scorer,
            FeedbackWeights weights, FeedbackListener listener, ItemCatalogue catalogue) {
        this(histories, popularity, tables, scorer, weights, listener, catalogue, PredictionProbe.NONE);
    }

    /** @param probe shown a sample of positive events before they are applied (a blend's gate learns from it) */
    public Recommender(UserHistories histories, PopularityScorer popularity, ItemTables tables, Scorer scorer,
            FeedbackWeights weights, FeedbackListener listener, ItemCatalogue catalogue, PredictionProbe probe) {
        this.probe = probe;
        this.tables = tables;
        this.cooccurrence = NeighbourScorer.cooccurrence(tables.cooccurrence(), popularity);
        this.catalogue = catalogue;
        this.histories = histories;
        this.popularity = popularity;
        this.scorer = scorer;
        this.weights = weights;
        this.listener = listener;
    }

    /** A worker whose only scorer is popularity. */
    public static Recommender popularityOnly(UserHistories histories, PopularityScorer popularity,
            FeedbackWeights weights) {
        return popularityOnly(histories, popularity, weights, new ItemCatalogue());
    }

    public static Recommender popularityOnly(UserHistories histories, PopularityScorer popularity,
            FeedbackWeights weights, ItemCatalogue catalogue) {
        return new Recommender(histories, popularity, popularity, weights, FeedbackListener.NONE, catalogue);
    }

    /** {@link #apply(FeedbackEvent, long)} for an event accepted just now. */
    public void apply(FeedbackEvent event) {
        apply(event, System.currentTimeMillis());
    }

    /**
     * Applies an event. Single-threaded. Whoever delivers events drops retried duplicates first
     * ({@link AppliedEventIds}).
     *
     * @param ingestedAtMillis when ingest accepted it
     */
    public void apply(FeedbackEvent event, long ingestedAtMillis) {
        apply(event, ingestedAtMillis, true);
    }

    /**
     * @param aggregates false to change the user's history only: the event is in the popularity and item
     *                   tables already (a serving shard's tables come from a checkpoint that holds it)
     */
    public void apply(FeedbackEvent event, long ingestedAtMillis, boolean aggregates) {
        UserHistory history = histories.of(event.userId());
        switch (weights.polarity(event)) {
            case POSITIVE -> {
                if (!aggregates) {
                    history.append(event.itemId());
                    return;
                }
                if (probe.wantsSample(event.timestamp())) {
                    // What the table predicted, asked before this event's own links are in it.
                    List<String> before = history.recent(probe.historyLength());
                    Votes votes = cooccurrence.distribution(before);
                    probe.offer(before, event.itemId(), votes,
                            cooccurrence.rank(votes, before, event.itemId(), PredictionProbe.RANKED));
                }
                tables.observe(history.recent(tables.window()), event.itemId());
                history.append(event.itemId());
                popularity.record(event.itemId(), weights.weight(event), event.timestamp());
                listener.positive(event.userId(), event.itemId(), ingestedAtMillis);
            }
            case NEGATIVE -> history.reject(event.itemId());
            case NEUTRAL -> history.see(event.itemId());
        }
    }

    /**
     * Forgets a user: their history goes, and whatever the listener keeps of them (pending training). What
     * they added to aggregates stays: popularity counts, item-to-item tables, the model's weights.
     *
     * @return whether there was a history
     */
    public boolean forget(String userId) {
        boolean had = histories.remove(userId);
        listener.forgotten(userId);
        return had;
    }

    /**
     * Whether applying {@code event} would add an item the worker holds nothing of yet: its first positive
     * event, which gives it popularity, item-table rows and (with a model) an embedding row.
     */
    public boolean addsItem(FeedbackEvent event) {
        return weights.polarity(event) == FeedbackWeights.Polarity.POSITIVE && !popularity.knows(event.itemId());
    }

    /** Items that have had a positive event: what {@link #addsItem} adds to. */
    public int items() {
        return popularity.items();
    }

    /**
     * Answers every request, in order; all that need a forward pass (user, session, re-rank) share one call
     * to the scorer. Hidden items are never returned; items a user turned down never in a user's top k.
     */
    public List<ScoreReply> recommend(List<ScoreRequest> requests) {
        ScoreReply[] out = new ScoreReply[requests.size()];
        List<ScoreQuery> queries = new ArrayList<>(requests.size());
        List<Integer> queried = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            ScoreRequest r = requests.get(i);
            if (r.kind() == ScoreRequest.Kind.SIMILAR) {
                out[i] = similar(r);
            } else {
                queries.add(query(r).explained(r.explain()));
                queried.add(i);
            }
        }
        if (!queries.isEmpty()) {
            List<Recommendations> answers = scorer.score(queries);
            for (int j = 0; j < answers.size(); j++) {
                int i = queried.get(j);
                Recommendations a = answers.get(j);
                List<String> hidden = requests.get(i).kind() == ScoreRequest.Kind.RERANK
                        ? hiddenOf(requests.get(i).items()) : null;
                List<ScoredItem> items = requests.get(i).explain() ? Explanations.complete(a.items()) : a.items();
                out[i] = new ScoreReply(items, a.modelVersion(), 0, a.coldStart(), hidden, null);
            }
        }
        return Arrays.asList(out);
    }

    /**
     * What the co-occurrence table alone answers to each user request, with the same history and filters as
     * {@link #recommend}; null for every other kind. The baseline a served blend is compared with.
     */
    public List<List<ScoredItem>> tableAnswers(List<ScoreRequest> requests) {
        List<List<ScoredItem>> out = new ArrayList<>(Collections.nCopies(requests.size(), null));
        List<ScoreQuery> queries = new ArrayList<>();
        List<Integer> asked = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).kind() == ScoreRequest.Kind.USER) {
                queries.add(query(requests.get(i)));
                asked.add(i);
            }
        }
        if (!queries.isEmpty()) {
            List<Recommendations> answers = cooccurrence.score(queries);
            for (int j = 0; j < answers.size(); j++) {
                out.set(asked.get(j), answers.get(j).items());
            }
        }
        return out;
    }

    private ScoreQuery query(ScoreRequest r) {
        switch (r.kind()) {
            case SESSION -> {
                // Nothing is read from or written to any user's history: the sequence is the request's.
                Set<String> exclude = new HashSet<>(r.excludeItems());
                if (r.excludeSeen()) {
                    exclude.addAll(r.items());
                }
                return new ScoreQuery(null, r.items(), filter(r, exclude), r.k(), null);
            }
            case RERANK -> {
                List<String> visible = new ArrayList<>(r.items().size());
                for (String c : r.items()) {
                    if (!catalogue.hidden(c)) {
                        visible.add(c);
                    }
                }
                return new ScoreQuery(r.userId(), histories.snapshot(r.userId()).sequence(),
                        ItemFilter.excluding(Set.of()), visible.size(), visible);
            }
            default -> {
                UserHistory.Snapshot h = histories.snapshot(r.userId());
                Set<String> exclude = h.rejected();
                if (r.excludeSeen() || !r.excludeItems().isEmpty()) {
                    // Both sets are bounded separately, so seen may have let go of an old rejection.
                    exclude = new HashSet<>(h.rejected());
                    if (r.excludeSeen()) {
                        exclude.addAll(h.seen());
                    }
                    exclude.addAll(r.excludeItems());
                }
                return new ScoreQuery(r.userId(), h.sequence(), filter(r, exclude), r.k(), null);
            }
        }
    }

    private ItemFilter filter(ScoreRequest r, Set<String> exclude) {
        return new ItemFilter(catalogue, r.categories().isEmpty() ? Set.of() : new HashSet<>(r.categories()), exclude);
    }

    private List<String> hiddenOf(List<String> candidates) {
        List<String> hidden = new ArrayList<>();
        for (String c : candidates) {
            if (catalogue.hidden(c)) {
                hidden.add(c);
            }
        }
        return hidden;
    }

    /** The scorer's embeddings when it has them for the item, else the co-occurrence table's row. */
    private ScoreReply similar(ScoreRequest r) {
        ItemFilter filter = filter(r, new HashSet<>(r.excludeItems()));
        Optional<Recommendations> answer = scorer instanceof SimilarItems model
                ? model.similar(r.itemId(), filter, r.k()) : Optional.empty();
        if (answer.isEmpty()) {
            answer = cooccurrence.similar(r.itemId(), filter, r.k());
        }
        return answer.map(a -> new ScoreReply(a.items(), a.modelVersion(), 0, false, null, null))
                .orElseGet(() -> ScoreReply.failed(new ScoreReply.Error(ScoreReply.Error.NOT_FOUND, "itemId",
                        "nothing is known of '" + r.itemId() + "' yet: no learned embedding and no positive "
                                + "feedback that links it to another item")));
    }

    public ItemCatalogue catalogue() {
        return catalogue;
    }

    public UserHistories histories() {
        return histories;
    }
}
