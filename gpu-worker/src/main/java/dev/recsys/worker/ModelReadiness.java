package dev.recsys.worker;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Which model serves and how training is going. The model is loaded before the worker accepts anything, so
 * this is down only when a configured model has nothing to serve.
 */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {

    @Inject
    WorkerModel model;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("model");
        if (model.serving().isEmpty()) {
            return response.up().withData("serving", "popularity (no model configured)").build();
        }
        var version = model.serving().get().version();
        response.status(version.isPresent()).withData("serving", version.orElse("nothing"));
        model.trainer().ifPresentOrElse(t -> response.withData("trainingSteps", t.steps())
                .withData("pendingUsers", t.pendingUsers())
                .withData("training", t.stopped().orElse("running")), () -> response.withData("training", "off"));
        return response.build();
    }
}
