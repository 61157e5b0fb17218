package dev.recsys.worker.model;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.recsys.core.sasrec.ModelSnapshot;
import dev.recsys.core.sasrec.TrainingListener;

/**
 * Online training as metrics: steps, loss, step time, failures, and freshness (ingest to the first snapshot
 * trained on the event). Freshness also has a cumulative histogram, so that a benchmark can take
 * percentiles over exactly its own run from two scrapes.
 */
@Singleton
public class TrainingMetrics implements TrainingListener {

    private final Counter steps;
    private final Counter sequences;
    private final Counter failures;
    private final Timer stepTime;
    private final Timer freshness;
    private volatile double loss = Double.NaN;
    private final MeterRegistry registry;
    private final Gauge lossGauge;

    @Inject
    public TrainingMetrics(MeterRegistry registry) {
        steps = Counter.builder("worker.training.steps").description("online gradient steps").register(registry);
        sequences = Counter.builder("worker.training.sequences").description("sequences trained on")
                .register(registry);
        failures = Counter.builder("worker.training.failures").description("steps that failed").register(registry);
        // A histogram too, so that a scraper can read a step's time over any span (the replay's: where an
        // event's wait for trained weights goes).
        stepTime = Timer.builder("worker.training.step").description("time of one online step")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        freshness = Timer.builder("worker.training.freshness")
                .description("from an event's ingest to the first served snapshot trained on it")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
        this.registry = registry;
        lossGauge = Gauge.builder("worker.training.loss", this, m -> m.loss)
                .description("loss of the latest online step (before it)").strongReference(true).register(registry);
    }

    /**
     * A gauge reads the instance that registered it; the registry can outlive this bean (Quarkus restarts the
     * application between test profiles), and a later registration under the same name would be ignored.
     */
    @PreDestroy
    void unregister() {
        registry.remove(lossGauge);
    }

    @Override
    public void stepped(double stepLoss, int trained, long nanos) {
        steps.increment();
        sequences.increment(trained);
        stepTime.record(nanos, TimeUnit.NANOSECONDS);
        loss = stepLoss;
    }

    @Override
    public void published(ModelSnapshot snapshot, long[] ingestedAtMillis) {
        for (long t : ingestedAtMillis) {
            freshness.record(Math.max(0, snapshot.publishedAtMillis() - t), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void failed(RuntimeException error) {
        failures.increment();
    }
}
