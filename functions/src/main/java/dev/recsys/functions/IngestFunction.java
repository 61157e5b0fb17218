package dev.recsys.functions;

import java.util.List;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import dev.recsys.functions.http.HttpStatus;
import dev.recsys.functions.kafka.EventLog;
import dev.recsys.wire.FeedbackEvent;
import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;

/** {@code POST /ingest}: a JSON array of feedback events, published all-or-nothing to {@code feedback}. */
public class IngestFunction {

    @Inject
    EventLog log;

    @Inject
    HttpStatus status;

    @Inject
    FunctionsConfig config;

    private volatile FeedbackBatchParser parser;

    @Funq("ingest")
    public Uni<IngestResult> ingest(JsonNode body) {
        List<FeedbackEvent> events = parser().parse(body, System.currentTimeMillis());
        List<String> ids = events.stream().map(FeedbackEvent::eventId).toList();
        status.onSuccess(202);
        return Publishing.publish(log.feedback(events), new IngestResult(events.size(), ids),
                config.ingest().brokerTimeout().multipliedBy(5),
                "retry it with the eventIds given here (in the batch's order), which the worker applies once",
                java.util.Map.of("eventIds", ids));
    }

    private FeedbackBatchParser parser() {
        FeedbackBatchParser p = parser;
        if (p == null) {
            var ingest = config.ingest();
            p = parser = new FeedbackBatchParser(ingest.maxBatch(), ingest.limits());
        }
        return p;
    }

    /**
     * @param accepted how many events were published
     * @param eventIds each event's id in the batch's order, the client's or one made up here: a retry that
     *                 sends the same ids is applied once
     */
    public record IngestResult(int accepted, List<String> eventIds) {
    }
}
