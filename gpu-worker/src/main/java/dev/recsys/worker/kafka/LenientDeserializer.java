package dev.recsys.worker.kafka;

import org.jboss.logging.Logger;

import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

/**
 * Turns an undecodable record into null instead of an exception: a plain consumer's poll would otherwise
 * throw on that record on every try, and the loop reading it would stop for good.
 */
public class LenientDeserializer<T> extends ObjectMapperDeserializer<T> {

    private static final Logger LOG = Logger.getLogger(LenientDeserializer.class);

    public LenientDeserializer(Class<T> type) {
        super(type);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        try {
            return super.deserialize(topic, data);
        } catch (RuntimeException e) {
            LOG.warnf("skipping an undecodable record on %s: %s", topic, e.getMessage());
            return null;
        }
    }
}
