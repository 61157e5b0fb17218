package dev.recsys.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.recsys.wire.FeedbackEvent;
import dev.recsys.wire.ScoreRequest;

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
    private final RecentEventIds applied = new RecentEventIds(DEDUP_WINDOW);
    private long duplicates;

    /** How many recent event ids are remembered to drop retried duplicates. */
    static final int DEDUP_WINDOW = 200_000;

    public Recommender(UserHistories histories, PopularityScorer popularity, Scorer scorer, FeedbackWeights weights,
            FeedbackListener listener) {
        this.histories = histories;
        this.popularity = popularity;
        this.scorer = scorer;
        this.weights = weights;
        this.listener = listener;
    }

    /** A worker whose only scorer is popularity. */
    public static Recommender popularityOnly(UserHistories histories, PopularityScorer popularity,
            FeedbackWeights weights) {
        return new Recommender(histories, popularity, popularity, weights, FeedbackListener.NONE);
    }

    /** {@link #apply(FeedbackEvent, long)} for an event accepted just now. */
    public void apply(FeedbackEvent event) {
        apply(event, System.currentTimeMillis());
    }

    /**
     * Applies an event; one whose id was applied recently (a retried batch) is ignored. Single-threaded.
     *
     * @param ingestedAtMillis when ingest accepted it
     */
    public void apply(FeedbackEvent event, long ingestedAtMillis) {
        if (event.eventId() != null && !applied.firstSighting(event.eventId())) {
            duplicates++;
            return;
        }
        UserHistory history = histories.of(event.userId());
        switch (weights.polarity(event)) {
            case POSITIVE -> {
                history.append(event.itemId());
                popularity.record(event.itemId(), weights.weight(event), event.timestamp());
                listener.positive(event.userId(), event.itemId(), ingestedAtMillis);
            }
            case NEGATIVE -> history.reject(event.itemId());
            case NEUTRAL -> history.see(event.itemId());
        }
    }

    /** Answers every request in one call to the scorer. Items a user turned down are never returned. */
    public List<Recommendations> recommend(List<ScoreRequest> requests) {
        List<ScoreQuery> queries = new ArrayList<>(requests.size());
        for (ScoreRequest r : requests) {
            UserHistory.Snapshot h = histories.snapshot(r.userId());
            Set<String> exclude = h.rejected();
            if (r.excludeSeen()) {
                // Both sets are bounded separately, so seen may have let go of an old rejection.
                exclude = h.rejected().isEmpty() ? h.seen() : union(h.seen(), h.rejected());
            }
            queries.add(new ScoreQuery(r.userId(), h.sequence(), exclude, r.k()));
        }
        return scorer.score(queries);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.addAll(b);
        return out;
    }

    public long duplicatesDropped() {
        return duplicates;
    }

    public UserHistories histories() {
        return histories;
    }
}
