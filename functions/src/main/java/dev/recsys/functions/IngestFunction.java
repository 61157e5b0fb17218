package dev.recsys.functions;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.recsys.functions.http.HttpStatus;
import dev.recsys.functions.kafka.BatchPublisher;
import dev.recsys.wire.FeedbackEvent;
import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;

/** {@code POST /ingest}: a JSON array of feedback events, published all-or-nothing to {@code feedback}. */
public class IngestFunction {

    @Inject
    BatchPublisher publisher;

    @Inject
    ObjectMapper json;

    @Inject
    HttpStatus status;

    @Inject
    FunctionsConfig config;

    private volatile FeedbackBatchParser parser;

    @Funq("ingest")
    public Uni<IngestResult> ingest(JsonNode body) {
        List<FeedbackEvent> events = parser().parse(body, System.currentTimeMillis());
        var records = new ArrayList<org.apache.kafka.clients.producer.ProducerRecord<String, byte[]>>(events.size());
        List<String> ids = new ArrayList<>(events.size());
        for (FeedbackEvent e : events) {
            records.add(publisher.record(e.userId(), bytes(e)));
            ids.add(e.eventId());
        }
        status.onSuccess(202);
        return Publishing.publish(publisher, records, new IngestResult(events.size(), ids),
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

    private byte[] bytes(FeedbackEvent e) {
        try {
            return json.writeValueAsBytes(e);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot serialise a validated event", ex);
        }
    }

    /**
     * @param accepted how many events were published
     * @param eventIds each event's id in the batch's order, the client's or one made up here: a retry that
     *                 sends the same ids is applied once
     */
    public record IngestResult(int accepted, List<String> eventIds) {
    }
}
