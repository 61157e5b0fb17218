package dev.recsys.worker;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Knows which worker threads have died, for {@code health.WorkerThreadsHealth} to turn into liveness and readiness
 * DOWN with the thread and its cause in the health body. A worker whose trainer, scoring loop or catalogue reader has died (an OutOfMemoryError,
 * a bug) still answers HTTP and would look alive; the platform must restart it instead. Threads that stop
 * on a caught error report it here; anything uncaught reaches the process-wide handler installed at start.
 */
@ApplicationScoped
public class WorkerThreads {

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

    /** Dead threads by name, with what killed them. */
    public Map<String, String> dead() {
        return Map.copyOf(dead);
    }
}
