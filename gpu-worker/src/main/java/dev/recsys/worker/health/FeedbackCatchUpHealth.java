package dev.recsys.worker.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.recsys.worker.kafka.FeedbackCatchUp;

/**
 * Not ready until the worker has replayed the feedback log up to where it ended when the worker started; on a
 * shard, until it owns partitions and has replayed them.
 */
@Readiness
@ApplicationScoped
public class FeedbackCatchUpHealth implements HealthCheck {

    @Inject
    FeedbackCatchUp catchUp;

    @Override
    public HealthCheckResponse call() {
        FeedbackCatchUp.Status status = catchUp.status();
        var response = HealthCheckResponse.named("feedback-catch-up").status(status.caughtUp());
        status.detail().forEach((k, v) -> {
            if (v instanceof Number n) {
                response.withData(k, n.longValue());
            } else {
                response.withData(k, String.valueOf(v));
            }
        });
        return response.build();
    }
}
