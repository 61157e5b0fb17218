package dev.recsys.worker.kafka;

import org.jboss.logging.Logger;

import dev.recsys.wire.ScoreRequest;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

/**
 * Turns an undecodable request into null instead of an exception: a plain consumer's poll would otherwise
 * throw on that record on every try, and scoring would stop for good.
 */
public class ScoreRequestDeserializer extends ObjectMapperDeserializer<ScoreRequest> {

    private static final Logger LOG = Logger.getLogger(ScoreRequestDeserializer.class);

    public ScoreRequestDeserializer() {
        super(ScoreRequest.class);
    }

    @Override
    public ScoreRequest deserialize(String topic, byte[] data) {
        try {
            return super.deserialize(topic, data);
        } catch (RuntimeException e) {
            LOG.warnf("skipping an undecodable record on %s: %s", topic, e.getMessage());
            return null;
        }
    }
}
