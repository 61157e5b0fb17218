package dev.recsys.worker.kafka;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import dev.recsys.wire.FeedbackEvent;
import dev.recsys.core.Recommender;

/** Applies each batch polled from {@code feedback} to the worker's state. */
@ApplicationScoped
public class FeedbackConsumer {

    private static final Logger LOG = Logger.getLogger(FeedbackConsumer.class);

    @Inject
    Recommender recommender;

    @Incoming("feedback")
    public void consume(List<FeedbackEvent> batch) {
        int skipped = 0;
        for (FeedbackEvent event : batch) {
            // Undecodable records arrive as null (fail-on-deserialization-failure=false): one bad record
            // written by another producer must not stop the worker.
            if (event == null || event.userId() == null || event.itemId() == null || event.type() == null) {
                skipped++;
                continue;
            }
            recommender.apply(event);
        }
        if (skipped > 0) {
            LOG.warnf("skipped %d undecodable feedback records", skipped);
        }
    }
}
