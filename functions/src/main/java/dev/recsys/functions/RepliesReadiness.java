package dev.recsys.functions;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Not ready until the reply consumer holds its partitions of {@code score-replies}: a scoring call sent before
 * that may have its reply land where nobody reads it, and time out (seen on a loaded machine, where joining
 * the consumer group took longer than the 2 s reply bound).
 */
@Readiness
@ApplicationScoped
public class RepliesReadiness implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(RepliesReadiness.class);

    @Inject
    WorkerClient worker;

    @Inject
    dev.recsys.functions.access.ServedCalls calls;

    private volatile boolean assigned;
    private volatile boolean waiting;

    void start(@Observes StartupEvent event) {
        if (!calls.scoring()) {
            return; // no reply consumer here: the score-requests channel is off (functions.calls)
        }
        await();
    }

    private void await() {
        waiting = true;
        worker.repliesAssigned().subscribe().with(partitions -> assigned = true, failure -> {
            waiting = false; // asked again at the next check
            LOG.debugf("reply partitions not assigned yet: %s", failure.toString());
        });
    }

    @Override
    public HealthCheckResponse call() {
        if (!calls.scoring()) {
            return HealthCheckResponse.named("score-replies").up()
                    .withData("replies", "not read here: this instance answers no scoring call").build();
        }
        if (!assigned && !waiting) {
            await();
        }
        return HealthCheckResponse.named("score-replies").status(assigned)
                .withData("replies", assigned ? "partitions assigned" : "waiting for the reply consumer's partitions")
                .build();
    }
}
