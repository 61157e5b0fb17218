package dev.recsys.worker.health;

import java.time.Duration;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.recsys.worker.kafka.FeedbackLogWatch;

/** DOWN while a feedback partition is held by an open transaction past the bound, naming each and for how long. */
@Readiness
@ApplicationScoped
public class FeedbackLogHealth implements HealthCheck {

    @Inject
    FeedbackLogWatch watch;

    @Override
    public HealthCheckResponse call() {
        Map<Integer, Duration> held = watch.held();
        var response = HealthCheckResponse.named("feedback-log").status(held.isEmpty());
        held.forEach((p, d) -> response.withData("partition-" + p,
                "held by an open transaction for " + d.toSeconds() + " s: its events cannot be read"));
        return response.build();
    }
}
