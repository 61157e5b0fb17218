package dev.recsys.core;

/** Told of each positive event once it is in the user's history (the online trainer listens). */
public interface FeedbackListener {

    FeedbackListener NONE = (userId, itemId, ingestedAtMillis) -> { };

    /** @param ingestedAtMillis when ingest accepted the event (epoch ms), for freshness */
    void positive(String userId, String itemId, long ingestedAtMillis);

    /** The user was forgotten: drop whatever is kept of them. */
    default void forgotten(String userId) {
    }
}
