package dev.recsys.worker.model;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

import dev.recsys.core.recommender.ModelSlot;
import dev.recsys.core.sasrec.HistoryTraining;
import dev.recsys.core.sasrec.PyTorchEngine;
import dev.recsys.worker.config.WorkerConfig;

/**
 * Grows the worker's first Transformer: a worker that started with no model (and {@code worker.scorer=auto})
 * waits until it holds enough positive events and users, and the feed has gone quiet for a moment (an import
 * is let finish), then trains on a copy of its histories on this thread while the co-occurrence table serves
 * and feedback goes on, and swaps the model in with online training. Checkpoints carry it from then on, so a
 * restart restores it instead of training again. PyTorch runs this with {@code worker.model.threads} intra-op
 * threads (one by default), so scoring keeps a core.
 */
@ApplicationScoped
public class ModelBootstrap {

    private static final Logger LOG = Logger.getLogger(ModelBootstrap.class);
    private static final long POLL_MILLIS = 500;

    @Inject
    WorkerConfig config;

    @Inject
    WorkerModel model;

    @Inject
    FeedbackPosition applied;

    @Inject
    MeterRegistry registry;

    private volatile String status = "not needed: the worker has a model or worker.bootstrap is off";
    private volatile int epoch;
    private volatile double validationNdcg = Double.NaN;
    private volatile boolean running = true;
    private Thread thread;
    private final List<Gauge> gauges = new java.util.ArrayList<>();

    void start(@Observes StartupEvent event) {
        gauges.add(Gauge.builder("worker.bootstrap.epoch", this, b -> b.epoch)
                .description("epochs the worker's first model has trained (it keeps the best one)")
                .strongReference(true).register(registry));
        gauges.add(Gauge.builder("worker.bootstrap.validation.ndcg10", this, b -> b.validationNdcg)
                .description("NDCG@10 on the held-out users of the latest bootstrap epoch")
                .strongReference(true).register(registry));
        if (model.awaitingModel().isEmpty()) {
            return;
        }
        if (!config.mode().trains()) {
            status = "waiting for the first checkpoint with a model";
            return; // a replica or shard takes its model from the trainer's checkpoints (ReplicaReloader)
        }
        status = "waiting for data";
        WorkerConfig.Bootstrap b = config.bootstrap();
        LOG.infof("no model yet: the worker trains one from its histories once it holds %d positive events and %d "
                + "users (worker.bootstrap.*)", b.minPositiveEvents(), b.minUsers());
        thread = BackgroundThread.start("model-bootstrap", this::run);
    }

    /** What the bootstrap is doing, for the readiness check. */
    public String status() {
        return status;
    }

    private void run() {
        WorkerConfig.Bootstrap b = config.bootstrap();
        long enoughSince = -1;
        while (running && model.awaitingModel().isPresent()) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            ModelSlot slot = model.awaitingModel().orElse(null);
            if (slot == null) {
                return;
            }
            long positives = model.state().popularity().events();
            int users = model.state().histories().users();
            if (positives < b.minPositiveEvents() || users < b.minUsers()) {
                status = String.format(Locale.ROOT, "waiting for data: %d of %d positive events, %d of %d users",
                        positives, b.minPositiveEvents(), users, b.minUsers());
                enoughSince = -1;
                continue;
            }
            long now = System.nanoTime();
            enoughSince = enoughSince < 0 ? now : enoughSince;
            boolean quiet = now - slot.lastPositiveNanos() >= b.quiet().toNanos();
            if (!quiet && now - enoughSince < b.maxDelay().toNanos()) {
                status = "enough data; waiting up to " + b.maxDelay() + " for the feed to pause for " + b.quiet();
                continue;
            }
            try {
                train(b);
                return;
            } catch (RuntimeException e) {
                status = "training failed, retrying in a minute: " + e;
                LOG.errorf(e, "bootstrap training failed; the co-occurrence table keeps serving, retrying in a minute");
                enoughSince = -1;
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void train(WorkerConfig.Bootstrap b) {
        long start = System.nanoTime();
        long events = model.state().popularity().events();
        Map<String, List<String>> sequences = HeldHistories.copy(applied, model.state().histories());
        LOG.infof("bootstrap: training a first model on %d users' histories (%d positive events so far), up to %d "
                + "epochs or %s", sequences.size(), model.state().popularity().events(), b.maxEpochs(), b.maxDuration());
        status = "training on " + sequences.size() + " users";
        PyTorchEngine.load(config.model().cacheDir(), config.model().threads());
        HistoryTraining.Result result = HistoryTraining.train(sequences,
                new HistoryTraining.Settings(b.maxEpochs(), b.patience(), b.maxDuration(), b.validationShare()),
                (e, of, loss, ndcg) -> {
                    epoch = e;
                    validationNdcg = ndcg;
                    status = String.format(Locale.ROOT, "training: epoch %d of at most %d, loss %.3f, validation "
                            + "NDCG@10 %.4f", e, of, loss, ndcg);
                    LOG.infof("bootstrap epoch %d/%d: loss %.3f, validation NDCG@10 %.4f", e, of, loss, ndcg);
                });
        String name = "sasrec@bootstrap";
        model.install(StartingModel.trained(result.config(), result.weights(), result.vocabulary(),
                name), events);
        double seconds = (System.nanoTime() - start) / 1e9;
        status = String.format(Locale.ROOT, "done: %s in service after %.0f s (best epoch %d of %d, validation "
                + "NDCG@10 %.4f on %d held-out users)", name, seconds, result.bestEpoch(), result.epochs(),
                result.validationNdcg10(), result.heldOut());
        LOG.info("bootstrap " + status);
    }

    @PreDestroy
    void stop() {
        running = false;
        BackgroundThread.stop(thread);
        gauges.forEach(registry::remove);
    }
}
