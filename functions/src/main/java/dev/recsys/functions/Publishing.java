package dev.recsys.functions;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;

import dev.recsys.functions.http.ApiError;
import dev.recsys.functions.kafka.BatchPublisher;
import io.smallrye.mutiny.Uni;

/** One request's records into one transaction, answered only once the broker committed them. */
final class Publishing {

    private Publishing() {
    }

    /**
     * @param answer   what the caller gets once the batch is committed
     * @param bound    the longest any path may take (the publisher bounds each broker call already)
     * @param ifUnsure what to tell a caller whose batch may or may not have been published
     */
    static <T> Uni<T> publish(BatchPublisher publisher, List<ProducerRecord<String, byte[]>> records, T answer,
            Duration bound, String ifUnsure) {
        return Uni.createFrom().completionStage(publisher.publish(records))
                .onFailure(BatchPublisher.PublishFailedException.class)
                .transform(e -> new ApiError(503, e.getMessage() + "; nothing of this batch was published, retry it"))
                .replaceWith(answer)
                .ifNoItem().after(bound)
                .failWith(() -> new ApiError(503, "publishing did not finish in time; the batch may or may not be "
                        + "published: " + ifUnsure));
    }
}
