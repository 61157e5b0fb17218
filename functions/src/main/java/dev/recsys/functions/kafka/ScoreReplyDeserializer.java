package dev.recsys.functions.kafka;

import dev.recsys.wire.ScoreReply;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

public class ScoreReplyDeserializer extends ObjectMapperDeserializer<ScoreReply> {
    public ScoreReplyDeserializer() {
        super(ScoreReply.class);
    }
}
