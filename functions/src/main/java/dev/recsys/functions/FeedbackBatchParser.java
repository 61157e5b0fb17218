package dev.recsys.functions;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import dev.recsys.functions.http.Rejections;
import dev.recsys.wire.FeedbackEvent;
import dev.recsys.wire.validation.FeedbackEventValidator;
import dev.recsys.wire.validation.Violations;
import dev.recsys.wire.validation.WireLimits;

/**
 * Turns an ingest body (a JSON array of events) into {@link FeedbackEvent}s, or rejects the whole batch
 * naming every bad event's index, field and reason. The rules are {@link FeedbackEventValidator}'s, the
 * worker's for records on the topic.
 */
public final class FeedbackBatchParser {

    private final int maxBatch;
    private final FeedbackEventValidator validator;

    public FeedbackBatchParser(int maxBatch, WireLimits limits) {
        this.maxBatch = maxBatch;
        this.validator = new FeedbackEventValidator(limits);
    }

    public List<FeedbackEvent> parse(JsonNode body, long now) {
        Rejections.requireBatch(body, maxBatch, "feedback events", "event", "invalid feedback batch");
        Violations v = new Violations();
        List<FeedbackEvent> events = new ArrayList<>(body.size());
        for (int i = 0; i < body.size(); i++) {
            FeedbackEvent e = validator.read(i, body.get(i), now, () -> UUID.randomUUID().toString(), now, v);
            if (e != null) {
                events.add(e);
            }
        }
        Rejections.throwIfAny(v, "invalid feedback batch: nothing of it was accepted");
        return events;
    }
}
