package dev.recsys.worker;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Turns the death of any worker thread into liveness and readiness DOWN, with the thread and its cause in
 * the health body. A worker whose trainer, scoring loop or catalogue reader has died (an OutOfMemoryError,
 * a bug) still answers HTTP and would look alive; the platform must restart it instead. Threads that stop
 * on a caught error report it here; anything uncaught reaches the process-wide handler installed at start.
 */
@Liveness
@Readiness
@ApplicationScoped
public class WorkerThreads implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(WorkerThreads.class);

    private final Map<String, String> dead = new ConcurrentHashMap<>();

    void install(@Observes StartupEvent event) {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, cause) -> {
            died(thread.getName(), cause);
            if (previous != null) {
                previous.uncaughtException(thread, cause);
            }
        });
    }

    /** {@code thread} has stopped for good because of {@code cause}. */
    public void died(String thread, Throwable cause) {
        dead.put(thread, String.valueOf(cause));
        LOG.errorf(cause, "worker thread %s died; liveness is DOWN so that the worker is restarted", thread);
    }

    public boolean allAlive() {
        return dead.isEmpty();
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("worker-threads").status(dead.isEmpty());
        dead.forEach(response::withData);
        return response.build();
    }
}
