package dev.recsys.functions;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;

import dev.recsys.functions.config.FunctionsConfig;
import dev.recsys.functions.http.HttpStatus;
import dev.recsys.functions.http.Rejections;
import dev.recsys.functions.kafka.EventLog;
import dev.recsys.wire.FeedbackEvent;
import dev.recsys.wire.ForgetUser;
import dev.recsys.wire.ItemUpdate;
import dev.recsys.wire.validation.ForgetUserValidator;
import dev.recsys.wire.validation.Violations;

/**
 * The calls that write: each takes a JSON array, validates all of it (400 naming every bad field, nothing
 * published), publishes it as one batch through the {@link EventLog}, and answers 202 only once the batch is
 * committed.
 */
public class WriteFunctions {

    @Inject
    EventLog log;

    @Inject
    HttpStatus status;

    @Inject
    FunctionsConfig config;

    private volatile FeedbackBatchParser feedback;
    private volatile ItemBatchParser items;

    /** {@code POST /ingest}: feedback events, all-or-nothing to {@code feedback}, keyed by user. */
    @Funq("ingest")
    public Uni<IngestResult> ingest(JsonNode body) {
        if (feedback == null) {
            feedback = new FeedbackBatchParser(config.ingest().maxBatch(), config.ingest().limits());
        }
        List<FeedbackEvent> events = feedback.parse(body, System.currentTimeMillis());
        List<String> ids = events.stream().map(FeedbackEvent::eventId).toList();
        status.onSuccess(202);
        return Publishing.publish(log.feedback(events), new IngestResult(events.size(), ids), bound(),
                "retry it with the eventIds given here (in the batch's order), which the worker applies once",
                Map.of("eventIds", ids));
    }

    /**
     * {@code POST /items}: item metadata, all-or-nothing to the compacted {@code items} topic keyed by item id.
     * The worker's catalogue follows that topic, and rebuilds from it after a restart.
     */
    @Funq("items")
    public Uni<ItemsResult> items(JsonNode body) {
        if (items == null) {
            items = new ItemBatchParser(config.ingest().maxBatch(), config.ingest().limits());
        }
        List<ItemUpdate> updates = items.parse(body, System.currentTimeMillis());
        status.onSuccess(202);
        return Publishing.publish(log.items(updates), new ItemsResult(updates.size()), bound(),
                "retrying it is safe, an update replaces the item's metadata", Map.of());
    }

    /**
     * {@code POST /forget-user}: {@code {userId}}. Published on {@code feedback} after the user's events, so
     * every worker drops the user's history, pending training and remembered event ids when it reads it,
     * and ignores their older events arriving later; the next checkpoint holds nothing of them and older
     * checkpoints are deleted (docs/api.md says what "forgotten" means).
     */
    @Funq("forget-user")
    public Uni<ForgetResult> forgetUser(JsonNode body) {
        Rejections.requireObject(body, "{userId}", "invalid forget-user request");
        Violations v = new Violations();
        ForgetUser forget = new ForgetUserValidator(config.ingest().limits()).read(body, System.currentTimeMillis(), v);
        Rejections.throwIfAny(v, "invalid forget-user request");
        status.onSuccess(202);
        return Publishing.publish(log.forgetUser(forget), new ForgetResult(forget.userId(), forget.requestedAt()),
                bound(), "retrying it is safe, forgetting twice is forgetting once", Map.of());
    }

    /** The longest a write may take, whatever path it takes: five broker calls' worth. */
    private Duration bound() {
        return config.ingest().brokerTimeout().multipliedBy(5);
    }

    /**
     * @param accepted how many events were published
     * @param eventIds each event's id in the batch's order, the client's or one made up here: a retry that
     *                 sends the same ids is applied once
     */
    public record IngestResult(int accepted, List<String> eventIds) {
    }

    /** @param requestedAt when it was asked: the user's events with an earlier event time are not applied again */
    public record ForgetResult(String userId, long requestedAt) {
    }

    /** @param accepted how many item updates were published */
    public record ItemsResult(int accepted) {
    }
}
