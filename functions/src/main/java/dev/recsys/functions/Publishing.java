package dev.recsys.functions;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import dev.recsys.functions.http.ApiError;
import dev.recsys.functions.kafka.BatchPublisher;
import io.smallrye.mutiny.Uni;

/**
 * One request's records into one transaction, answered only once the broker committed them and consumers can
 * read them. A failure says in {@code outcome} whether the batch is certainly not published
 * ({@value #NOT_PUBLISHED}), may have been ({@value #UNKNOWN}), or is committed but not readable yet because
 * another producer holds the log with an open transaction ({@value #COMMITTED}); a retry of the same batch is
 * safe in every case (event ids are applied once).
 */
final class Publishing {

    static final String NOT_PUBLISHED = "not-published";
    static final String UNKNOWN = "unknown";
    static final String COMMITTED = "committed-not-readable";

    private Publishing() {
    }

    /**
     * @param published the batch's publication, from {@link dev.recsys.functions.kafka.EventLog}
     * @param answer   what the caller gets once the batch is committed
     * @param bound    the longest any path may take (the publisher bounds each broker call already)
     * @param retry    how to retry safely, for the error message
     * @param details  more fields for a failure's body (the batch's event ids, which a retry must reuse)
     */
    static <T> Uni<T> publish(CompletionStage<Void> published, T answer, Duration bound, String retry,
            Map<String, Object> details) {
        return Uni.createFrom().completionStage(published)
                .onFailure(BatchPublisher.PublishFailedException.class)
                .transform(e -> {
                    var outcome = ((BatchPublisher.PublishFailedException) e).outcome();
                    return switch (outcome) {
                        case UNKNOWN -> failure(e.getMessage() + "; the batch may or may not be published: " + retry,
                                UNKNOWN, details);
                        case COMMITTED -> failure(e.getMessage() + "; a retry of the same batch is safe: " + retry,
                                COMMITTED, details);
                        case NOT_PUBLISHED -> failure(e.getMessage() + "; nothing of this batch was published: "
                                + retry, NOT_PUBLISHED, details);
                    };
                })
                .replaceWith(answer)
                .ifNoItem().after(bound)
                .failWith(() -> failure("publishing did not finish in " + bound
                        + "; the batch may or may not be published: " + retry, UNKNOWN, details));
    }

    private static ApiError failure(String message, String outcome, Map<String, Object> details) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("outcome", outcome);
        body.putAll(details);
        return new ApiError(503, message, body);
    }
}
