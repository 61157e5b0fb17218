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
import dev.recsys.worker.checkpoint.AppliedFeedback;
import dev.recsys.wire.FeedbackEvent;

/**
 * Applies each batch polled from {@code feedback} to the worker's state. The record timestamp is when
 * ingest published the event, which is what freshness is measured from.
 */
@ApplicationScoped
public class FeedbackConsumer {

    private static final Logger LOG = Logger.getLogger(FeedbackConsumer.class);

    private final Recommender recommender;
    private final AppliedFeedback position;
    private final Counter applied;
    private final Counter undecodable;

    @Inject
    public FeedbackConsumer(Recommender recommender, AppliedFeedback position, MeterRegistry registry) {
        this.recommender = recommender;
        this.position = position;
        this.applied = Counter.builder("worker.feedback.events").tag("outcome", "consumed")
                .description("feedback records consumed").register(registry);
        this.undecodable = Counter.builder("worker.feedback.events").tag("outcome", "undecodable")
                .description("feedback records consumed").register(registry);
    }

    @Incoming("feedback")
    public void consume(ConsumerRecords<String, FeedbackEvent> batch) {
        int[] skipped = { 0 };
        position.applying(() -> {
            for (ConsumerRecord<String, FeedbackEvent> record : batch) {
                FeedbackEvent event = record.value();
                // Undecodable records arrive as null (fail-on-deserialization-failure=false): one bad record
                // written by another producer must not stop the worker. Its offset still advances.
                boolean valid = event != null && event.userId() != null && event.itemId() != null
                        && event.type() != null;
                if (valid) {
                    recommender.apply(event, record.timestamp());
                } else {
                    skipped[0]++;
                }
                position.advance(record.partition(), record.offset(), valid);
            }
        });
        int skippedCount = skipped[0];
        applied.increment(batch.count() - skippedCount);
        if (skippedCount > 0) {
            undecodable.increment(skippedCount);
            LOG.warnf("skipped %d undecodable feedback records", skippedCount);
        }
    }
}
