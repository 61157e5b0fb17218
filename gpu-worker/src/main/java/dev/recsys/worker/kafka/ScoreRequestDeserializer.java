package dev.recsys.worker.kafka;

import dev.recsys.wire.ScoreRequest;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

public class ScoreRequestDeserializer extends ObjectMapperDeserializer<ScoreRequest> {
    public ScoreRequestDeserializer() {
        super(ScoreRequest.class);
    }
}
