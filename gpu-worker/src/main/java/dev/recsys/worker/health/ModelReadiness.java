package dev.recsys.worker.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.recsys.worker.model.ModelBootstrap;
import dev.recsys.worker.model.WorkerModel;

/**
 * Which model serves and how training is going, and while the worker grows its first model, how far that
 * is. A configured model is loaded before the worker accepts anything, so this is down only when a model has
 * nothing to serve.
 */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {

    @Inject
    WorkerModel model;

    @Inject
    ModelBootstrap bootstrap;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("model");
        if (model.awaitingModel().isPresent()) {
            return response.up().withData("serving", "the co-occurrence table (no model yet)")
                    .withData("bootstrap", bootstrap.status()).build();
        }
        if (model.serving().isEmpty()) {
            return response.up().withData("serving", "a table (no model configured)").build();
        }
        var version = model.serving().get().version();
        response.status(version.isPresent()).withData("serving", version.orElse("nothing"))
                .withData("bootstrap", bootstrap.status());
        model.trainer().ifPresentOrElse(t -> response.withData("trainingSteps", t.steps())
                .withData("pendingUsers", t.pendingUsers())
                .withData("training", t.stopped().orElse("running")), () -> response.withData("training", "off"));
        return response.build();
    }
}
