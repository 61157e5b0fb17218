package dev.recsys.worker.kafka;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.recsys.core.Recommender;
import dev.recsys.wire.FeedbackEvent;

/**
 * Applies each batch polled from {@code feedback} to the worker's state. The record timestamp is when
 * ingest published the event, which is what freshness is measured from.
 */
@ApplicationScoped
public class FeedbackConsumer {

    private static final Logger LOG = Logger.getLogger(FeedbackConsumer.class);

    private final Recommender recommender;
    private final Counter applied;
    private final Counter undecodable;

    @Inject
    public FeedbackConsumer(Recommender recommender, MeterRegistry registry) {
        this.recommender = recommender;
        this.applied = Counter.builder("worker.feedback.events").tag("outcome", "consumed")
                .description("feedback records consumed").register(registry);
        this.undecodable = Counter.builder("worker.feedback.events").tag("outcome", "undecodable")
                .description("feedback records consumed").register(registry);
    }

    @Incoming("feedback")
    public void consume(ConsumerRecords<String, FeedbackEvent> batch) {
        int skipped = 0;
        for (ConsumerRecord<String, FeedbackEvent> record : batch) {
            FeedbackEvent event = record.value();
            // Undecodable records arrive as null (fail-on-deserialization-failure=false): one bad record
            // written by another producer must not stop the worker.
            if (event == null || event.userId() == null || event.itemId() == null || event.type() == null) {
                skipped++;
                continue;
            }
            recommender.apply(event, record.timestamp());
        }
        applied.increment(batch.count() - skipped);
        if (skipped > 0) {
            undecodable.increment(skipped);
            LOG.warnf("skipped %d undecodable feedback records", skipped);
        }
    }
}
