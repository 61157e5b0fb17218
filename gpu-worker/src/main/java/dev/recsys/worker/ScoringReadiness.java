package dev.recsys.worker;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.recsys.worker.kafka.ScoringLoop;

/** Ready once the scoring loop polls its partitions; the feedback channel reports its own health. */
@Readiness
@ApplicationScoped
public class ScoringReadiness implements HealthCheck {

    @Inject
    ScoringLoop loop;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("scoring-loop")
                .status(loop.ready())
                .withData("answered", loop.answered())
                .build();
    }
}
