package dev.recsys.wire;

/**
 * One piece of user feedback as it travels on the {@code feedback} topic (keyed by user id).
 *
 * @param eventId   unique id; the ingest function assigns one when the client sends none
 * @param value     the rating for {@link FeedbackType#RATING}, otherwise optional (e.g. dwell time)
 * @param timestamp epoch milliseconds; the ingest time when the client sends none
 */
public record FeedbackEvent(String eventId, String userId, String itemId, FeedbackType type, Double value,
        long timestamp) {
}
