package dev.recsys.worker.kafka;

import dev.recsys.wire.FeedbackEvent;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

public class FeedbackEventDeserializer extends ObjectMapperDeserializer<FeedbackEvent> {
    public FeedbackEventDeserializer() {
        super(FeedbackEvent.class);
    }
}
