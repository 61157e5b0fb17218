package dev.recsys.worker.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.recsys.worker.kafka.CatalogueConsumer;
import dev.recsys.worker.scoring.ScoringLoop;

/**
 * Ready once the scoring loop polls its partitions and the item catalogue has been read to where it ended
 * at start (before that, hidden items could be recommended); the feedback channel reports its own health.
 */
@Readiness
@ApplicationScoped
public class ScoringReadiness implements HealthCheck {

    @Inject
    ScoringLoop loop;

    @Inject
    CatalogueConsumer catalogue;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("scoring-loop")
                .status(loop.ready() && catalogue.caughtUp())
                .withData("answered", loop.answered())
                .withData("catalogue", catalogue.caughtUp() ? "loaded" : "loading")
                .withData("catalogueUpdates", catalogue.applied())
                .build();
    }
}
