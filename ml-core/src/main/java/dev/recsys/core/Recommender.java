package dev.recsys.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.recsys.wire.FeedbackEvent;
import dev.recsys.wire.ScoreRequest;

/**
 * The worker's state and its two operations: apply feedback, answer score requests. Feedback reaches the
 * user's history at once, so the next request for that user already sees it.
 */
public final class Recommender {

    private final UserHistories histories;
    private final PopularityScorer popularity;
    private final Scorer scorer;
    private final FeedbackWeights weights;
    private final RecentEventIds applied = new RecentEventIds(DEDUP_WINDOW);
    private long duplicates;

    /** How many recent event ids are remembered to drop retried duplicates. */
    static final int DEDUP_WINDOW = 200_000;

    public Recommender(UserHistories histories, PopularityScorer popularity, Scorer scorer, FeedbackWeights weights) {
        this.histories = histories;
        this.popularity = popularity;
        this.scorer = scorer;
        this.weights = weights;
    }

    /** A worker whose only scorer is popularity. */
    public static Recommender popularityOnly(UserHistories histories, PopularityScorer popularity,
            FeedbackWeights weights) {
        return new Recommender(histories, popularity, popularity, weights);
    }

    /** Applies an event; one whose id was applied recently (a retried batch) is ignored. Single-threaded. */
    public void apply(FeedbackEvent event) {
        if (event.eventId() != null && !applied.firstSighting(event.eventId())) {
            duplicates++;
            return;
        }
        histories.append(event.userId(), event.itemId());
        popularity.record(event.itemId(), weights.weight(event), event.timestamp());
    }

    /** Answers every request in one call to the scorer. */
    public List<Recommendations> recommend(List<ScoreRequest> requests) {
        List<ScoreQuery> queries = new ArrayList<>(requests.size());
        for (ScoreRequest r : requests) {
            UserHistory.Snapshot h = histories.snapshot(r.userId());
            queries.add(new ScoreQuery(r.userId(), h.sequence(), r.excludeSeen() ? h.seen() : Set.of(), r.k()));
        }
        return scorer.score(queries);
    }

    public long duplicatesDropped() {
        return duplicates;
    }

    public UserHistories histories() {
        return histories;
    }
}
