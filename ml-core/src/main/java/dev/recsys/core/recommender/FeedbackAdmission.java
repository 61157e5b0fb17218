package dev.recsys.core.recommender;

import dev.recsys.core.AppliedEventIds;
import dev.recsys.core.ForgottenUsers;
import dev.recsys.wire.FeedbackEvent;

/**
 * What one feedback record does to the state, decided in one place: applied, a retry of an event applied
 * already (duplicate), refused with the field and the reason, or a user forgotten. The Kafka adapter decodes
 * the record, checks what only the record can say (its key, its partition), hands the event over and
 * dead-letters what comes back refused. Called from the single feedback thread, like {@link Recommender#apply}.
 */
public final class FeedbackAdmission {

    /** What became of one record. */
    public sealed interface Outcome permits Applied, Duplicate, Refused, Forgot {
    }

    /** The event changed the state. */
    public record Applied() implements Outcome {
    }

    /** The user's event id was applied before and is still remembered: a retry, dropped. */
    public record Duplicate() implements Outcome {
    }

    /** Refused: nothing changed; {@code field} names what was wrong (a field of the record's schema). */
    public record Refused(String field, String reason) implements Outcome {
    }

    /** A user forgotten: whether a history was held, and how many remembered event ids went with it. */
    public record Forgot(boolean hadHistory, int eventIdsDropped) implements Outcome {
    }

    private static final Applied APPLIED = new Applied();
    private static final Duplicate DUPLICATE = new Duplicate();

    private final Recommender recommender;
    private final AppliedEventIds eventIds;
    private final ForgottenUsers forgotten;
    private final int maxItems;

    /** @param maxItems items with feedback the state may hold; an event adding one more is refused */
    public FeedbackAdmission(Recommender recommender, AppliedEventIds eventIds, ForgottenUsers forgotten, int maxItems) {
        this.recommender = recommender;
        this.eventIds = eventIds;
        this.forgotten = forgotten;
        this.maxItems = maxItems;
    }

    /**
     * @param idMadeUp         the event carried no id and was given its record's position: the same on every
     *                         replay, never a retry, not worth remembering
     * @param ingestedAtMillis when ingest accepted it
     * @param aggregates       false when popularity and the item tables hold the event already (a serving
     *                         shard's come from a checkpoint that covers it): only the history changes
     * @param nowMillis        the applier's clock, for how long the event id is remembered
     */
    public Outcome event(FeedbackEvent event, boolean idMadeUp, long ingestedAtMillis, boolean aggregates,
            long nowMillis) {
        AppliedEventIds.Key id = idMadeUp ? null : eventIds.key(event.userId(), event.eventId());
        if (id != null && eventIds.contains(id)) {
            return DUPLICATE;
        }
        if (recommender.addsItem(event) && recommender.items() >= maxItems) {
            return new Refused("itemId", "a new item past the worker's limit of " + maxItems
                    + " items (worker.limits.max-items)");
        }
        try {
            recommender.apply(event, ingestedAtMillis, aggregates);
        } catch (RuntimeException e) {
            return new Refused("body", "could not be applied: " + e);
        }
        if (id != null) {
            eventIds.remember(id, nowMillis);
        }
        return APPLIED;
    }

    /**
     * Forgets a user: their history, pending training and remembered event ids. What it covers is decided by
     * the log's order alone (every event of theirs before the request, none after), so nothing is kept of them.
     */
    public Forgot forget(String userId) {
        boolean had = recommender.forget(userId);
        int ids = eventIds.forget(userId);
        forgotten.forget();
        return new Forgot(had, ids);
    }
}
