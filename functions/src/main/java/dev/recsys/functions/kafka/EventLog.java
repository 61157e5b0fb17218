package dev.recsys.functions.kafka;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.recsys.wire.FeedbackEvent;
import dev.recsys.wire.ForgetUser;
import dev.recsys.wire.ItemUpdate;

/**
 * Where the functions put what they accept: each call publishes one validated batch atomically, and its
 * future completes once the batch is committed (or fails with {@link BatchPublisher.PublishFailedException},
 * saying whether the outcome is unknown). The functions never build broker records themselves.
 */
public interface EventLog {

    /** Feedback events, on the feedback topic keyed by user (a user's events stay in order). */
    CompletableFuture<Void> feedback(List<FeedbackEvent> events);

    /** A request to forget a user, on the feedback topic after their events (see {@link ForgetUser}). */
    CompletableFuture<Void> forgetUser(ForgetUser forget);

    /** Catalogue updates, on the compacted items topic keyed by item (the latest update wins). */
    CompletableFuture<Void> items(List<ItemUpdate> items);
}
