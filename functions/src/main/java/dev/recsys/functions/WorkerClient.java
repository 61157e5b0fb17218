package dev.recsys.functions;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.reply.KafkaRequestReply;
import io.smallrye.reactive.messaging.kafka.reply.KafkaRequestReplyTimeoutException;

import dev.recsys.functions.config.FunctionsConfig;
import dev.recsys.functions.http.ApiError;
import dev.recsys.wire.ScoreReply;
import dev.recsys.wire.ScoreRequest;
import dev.recsys.wire.validation.Violation;

/**
 * Asks the worker over Kafka request-reply and turns every way that can go wrong into a clear answer: no
 * reply in time 504, the broker unreachable 503, and a worker that could not answer (an unknown item, no
 * model) 404 or 503 naming the field.
 */
@ApplicationScoped
public class WorkerClient {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(WorkerClient.class);

    @Inject
    @Channel("score-requests")
    KafkaRequestReply<ScoreRequest, ScoreReply> scoring;

    @Inject
    FunctionsConfig config;

    /** Completes once the reply consumer holds its partitions: before that a reply could go unread. */
    public Uni<java.util.Set<org.apache.kafka.common.TopicPartition>> repliesAssigned() {
        return scoring.waitForAssignments();
    }

    /**
     * Moves the reply consumer to the end of its partitions, bounded by {@code bound}: after a snapshot restore
     * its position is as old as the snapshot, and every reply since is for other instances.
     */
    public void skipToNewestReplies(Duration bound) {
        var consumer = scoring.getConsumer();
        try {
            consumer.getAssignments().chain(consumer::seekToEnd).await().atMost(bound);
        } catch (RuntimeException e) {
            // Not fatal: the consumer reads on from where it was, and a reply it reaches late times out (504).
            LOG.warnf("could not move the reply consumer to the newest replies: %s", e.toString());
        }
    }

    public Uni<ScoreReply> ask(ScoreRequest request) {
        Message<ScoreRequest> message = Message.of(request);
        if (request.userId() != null) {
            // Keyed like the user's feedback: with as many partitions, a user's requests reach the serving
            // shard that holds their history (worker.mode=shard). Session and item requests go anywhere.
            message = message.addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                    .withKey(request.userId()).build());
        }
        return scoring.request(message)
                .map(Message::getPayload)
                .onFailure(WorkerClient::isTimeout)
                .transform(t -> new ApiError(504, "the worker did not answer in time"))
                .onFailure(t -> !(t instanceof ApiError))
                .transform(t -> new ApiError(503, "scoring is unavailable: " + t.getClass().getSimpleName()))
                // Request-reply has its own timeout; this one only makes sure no path can hang.
                .ifNoItem().after(Duration.ofMillis(2 * config.recommend().replyTimeoutMs() + 1000))
                .failWith(() -> new ApiError(504, "the worker did not answer in time"))
                .map(WorkerClient::orFail);
    }

    private static ScoreReply orFail(ScoreReply reply) {
        ScoreReply.Error e = reply.error();
        if (e == null) {
            return reply;
        }
        int status = switch (e.code() == null ? "" : e.code()) {
            case ScoreReply.Error.NOT_FOUND -> 404;
            case ScoreReply.Error.INVALID -> 400;
            case ScoreReply.Error.INTERNAL -> 500;
            default -> 503;
        };
        List<Violation> field = e.field() == null ? List.of()
                : List.of(new Violation(null, e.field(), e.message()));
        throw new ApiError(status, e.message(), field, field.size());
    }

    private static boolean isTimeout(Throwable t) {
        return t instanceof TimeoutException || t instanceof KafkaRequestReplyTimeoutException;
    }
}
