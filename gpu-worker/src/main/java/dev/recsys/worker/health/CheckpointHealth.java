package dev.recsys.worker.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.recsys.worker.checkpoint.Checkpointer;

/**
 * The checkpoints' detail in readiness: which was written last, when, and how many failed since with the
 * newest failure's cause. Always UP: a worker whose checkpoints fail still serves (the alarm on
 * {@code worker_checkpoint_failures_total} is what calls someone), and taking it out of service would not
 * make the store work again.
 */
@Readiness
@ApplicationScoped
public class CheckpointHealth implements HealthCheck {

    @Inject
    Checkpointer checkpointer;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("checkpoints").up();
        if (!checkpointer.writes()) {
            return response.withData("writes", false).build();
        }
        Checkpointer.Outcome o = checkpointer.outcome();
        response.withData("failedSinceLastWritten", o.failedSince());
        if (o.lastWritten() != null) {
            response.withData("lastWritten", o.lastWritten()).withData("lastWrittenAt",
                    java.time.Instant.ofEpochMilli(o.writtenAtMillis()).toString());
        }
        if (o.lastFailure() != null) {
            response.withData("lastFailure", o.lastFailure());
        }
        return response.build();
    }
}
