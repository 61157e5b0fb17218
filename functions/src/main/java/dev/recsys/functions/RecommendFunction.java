package dev.recsys.functions;

import java.time.Duration;
import java.util.Set;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;

import com.fasterxml.jackson.databind.JsonNode;

import dev.recsys.functions.http.ApiError;
import dev.recsys.functions.http.Violations;
import dev.recsys.wire.ScoreReply;
import dev.recsys.wire.ScoreRequest;
import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.reply.KafkaRequestReply;
import io.smallrye.reactive.messaging.kafka.reply.KafkaRequestReplyTimeoutException;

/**
 * {@code POST /recommend}: {@code {userId, k?, excludeSeen?}} is sent to the worker over Kafka
 * request-reply; its answer comes back as is. No answer within {@code reply.timeout}: 504.
 */
public class RecommendFunction {

    static final Set<String> FIELDS = Set.of("userId", "k", "excludeSeen");
    static final int MAX_K = 100;
    static final int DEFAULT_K = 10;

    @Inject
    @Channel("score-requests")
    KafkaRequestReply<ScoreRequest, ScoreReply> scoring;

    @Inject
    FunctionsConfig config;

    @ConfigProperty(name = "recommend.reply-timeout-ms")
    long replyTimeoutMs;

    @Funq("recommend")
    public Uni<ScoreReply> recommend(JsonNode body) {
        ScoreRequest request = parse(body, config.ingest().maxIdLength());
        return scoring.request(request)
                .onFailure(RecommendFunction::isTimeout)
                .transform(t -> new ApiError(504, "the worker did not answer in time"))
                .onFailure(t -> !(t instanceof ApiError))
                .transform(t -> new ApiError(503, "scoring is unavailable: " + t.getClass().getSimpleName()))
                // Request-reply has its own timeout; this one only makes sure no path can hang.
                .ifNoItem().after(Duration.ofMillis(2 * replyTimeoutMs + 1000)).failWith(() -> new ApiError(504, "the worker did not answer in time"));
    }

    private static boolean isTimeout(Throwable t) {
        return t instanceof TimeoutException || t instanceof KafkaRequestReplyTimeoutException;
    }

    static ScoreRequest parse(JsonNode body, int maxIdLength) {
        Violations v = new Violations();
        if (body == null || !body.isObject()) {
            v.add(null, null, "the body must be a JSON object {userId, k?, excludeSeen?}"
                    + (body == null ? "" : ", not " + Violations.kind(body)));
            v.throwIfAny("invalid recommend request");
        }
        v.rejectUnknown(null, body, FIELDS);
        String userId = v.id(null, body, "userId", true, maxIdLength);
        Integer k = v.integer(null, body, "k", 1, MAX_K);
        Boolean excludeSeen = v.bool(null, body, "excludeSeen");
        v.throwIfAny("invalid recommend request");
        return new ScoreRequest(userId, k == null ? DEFAULT_K : k, excludeSeen == null || excludeSeen);
    }
}
