package dev.recsys.worker.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import dev.recsys.worker.WorkerThreads;

/** DOWN, for liveness and readiness, once any worker thread has died: the platform must restart the worker. */
@Liveness
@Readiness
@ApplicationScoped
public class WorkerThreadsHealth implements HealthCheck {

    @Inject
    WorkerThreads threads;

    @Override
    public HealthCheckResponse call() {
        var dead = threads.dead();
        var response = HealthCheckResponse.named("worker-threads").status(dead.isEmpty());
        dead.forEach(response::withData);
        return response.build();
    }
}
