package dev.recsys.worker.model;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;

import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.sasrec.BlendProbe;
import dev.recsys.core.sasrec.HistoryTraining;
import dev.recsys.core.sasrec.OnlineTrainer;
import dev.recsys.core.sasrec.SasRecConfig;
import dev.recsys.worker.config.WorkerConfig;

/**
 * Regenerates the model while it serves: every {@code worker.refit.every-events} new positive events (or
 * {@code interval}; twice as many after each rejected pass, up to 8 times, {@link RefitSchedule}), a full pass
 * over the histories the worker holds, warm-started from the weights the online trainer has and with the item
 * table grown to the vocabulary, on this thread while online steps go on. The pass keeps its best epoch by
 * held-out NDCG@10 and is swapped into the trainer only if that is not worse than the weights it started from
 * on the same held-out users; otherwise it is rejected, and logs and metrics say so.
 * (The served weights have seen the held-out items online; the pass has not. The comparison leans towards
 * keeping what serves.) Before each batch the pass gives way to online training while it lags the stream
 * ({@link RefitPace}).
 */
@ApplicationScoped
public class ModelRefit {

    private static final Logger LOG = Logger.getLogger(ModelRefit.class);
    private static final long POLL_MILLIS = 1_000;
    private static final long HANDOVER_SECONDS = 60;

    @Inject
    WorkerConfig config;

    @Inject
    WorkerModel model;

    @Inject
    FeedbackPosition applied;

    @Inject
    MeterRegistry registry;

    private Counter accepted;
    private Counter rejected;
    private Counter failed;
    private Gauge lastGain;
    private Gauge passing;
    private Timer yields;
    private volatile double gain = Double.NaN;
    /** A pass is under way (1) or not (0). */
    private volatile int inPass;
    private volatile boolean running = true;
    private Thread thread;

    void start(@Observes StartupEvent event) {
        accepted = outcome("accepted");
        rejected = outcome("rejected");
        failed = outcome("failed");
        lastGain = Gauge.builder("worker.refit.ndcg10.gain", this, r -> r.gain)
                .description("the last re-fit's best held-out NDCG@10 minus that of the weights it started from")
                .strongReference(true).register(registry);
        passing = Gauge.builder("worker.refit.running", this, r -> r.inPass)
                .description("1 while a re-fit pass trains").strongReference(true).register(registry);
        yields = Timer.builder("worker.refit.yields")
                .description("waits of a re-fit pass before a batch, while online training lagged the stream")
                .register(registry);
        boolean primary = config.mode().trains();
        if (!config.refit().enabled() || !primary || !config.training().enabled()) {
            return;
        }
        thread = BackgroundThread.start("model-refit", this::run);
    }

    private Counter outcome(String outcome) {
        return Counter.builder("worker.refits").tag("outcome", outcome)
                .description("full passes over the histories, by what became of them").register(registry);
    }

    private void run() {
        WorkerConfig.Refit r = config.refit();
        long eventsAtFit = -1;
        long fitAtNanos = 0;
        RefitSchedule schedule = new RefitSchedule(r.everyEvents(), r.interval().toNanos());
        while (running) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            OnlineTrainer trainer = model.trainer().filter(t -> t.stopped().isEmpty()).orElse(null);
            if (trainer == null) {
                continue;
            }
            long events = newToTheFit(model.state().popularity().events());
            long now = System.nanoTime();
            if (eventsAtFit < 0) {
                // A bootstrapped model was fitted on what the worker held when it copied the histories; one
                // loaded or restored at start counts as fitted when first seen.
                long fitted = model.fittedAtEvents();
                eventsAtFit = fitted >= 0 ? fitted : events;
                fitAtNanos = now;
                continue;
            }
            long fresh = events - eventsAtFit;
            if (!schedule.due(fresh, now - fitAtNanos)) {
                continue;
            }
            eventsAtFit = events;
            fitAtNanos = now;
            inPass = 1;
            try {
                schedule.passed(refit(trainer, fresh));
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                failed.increment();
                LOG.errorf(e, "re-fit failed; the served model goes on with online training");
            } finally {
                inPass = 0;
            }
        }
    }

    /**
     * Positive events counted so far, less those the served model's fit had already seen (their time at or
     * before its {@code fittedThroughMillis}, as the blend's probe counts them): a worker started from a model
     * fitted on the log it then consumes would otherwise re-fit on data that is not new to it (measured on
     * ml-1m-prefix through the real system: a pass at the replay's start, on the warm events the model was
     * trained on, rejected after 174 s on the cores the online trainer needed).
     */
    private long newToTheFit(long positives) {
        return positives - model.blendProbe().map(BlendProbe::inSampleSkipped).orElse(0L);
    }

    /** One pass; whether it was taken up. */
    private boolean refit(OnlineTrainer trainer, long fresh) throws Exception {
        WorkerConfig.Refit r = config.refit();
        long start = System.nanoTime();
        WorkerModel.State state = model.state();
        // The trainer's weights as they are between two steps; the vocabulary and histories a moment later
        // (the vocabulary only grows, so the weights' rows stand for its first rows).
        OnlineTrainer.TrainerState weights = trainer.checkpoint().get(HANDOVER_SECONDS, TimeUnit.SECONDS);
        ItemVocabulary vocabulary = ItemVocabulary.of(state.vocabulary().items());
        Map<String, List<String>> sequences = HeldHistories.copy(applied, state.histories());
        LOG.infof("re-fit after %d new positive events: %d users, %d items, up to %d epochs or %s", fresh,
                sequences.size(), vocabulary.rows() - 1, r.maxEpochs(), r.maxDuration());
        SasRecConfig passConfig = r.learningRate().map(state.modelConfig()::withLearningRate)
                .orElse(state.modelConfig());
        HistoryTraining.Result result = HistoryTraining.refit(sequences, passConfig, weights.weights(),
                vocabulary, state.tables().cooccurrence(),
                new HistoryTraining.Settings(r.maxEpochs(), r.patience(), r.maxDuration(),
                        config.bootstrap().validationShare(),
                        new RefitPace(() -> trainer.behindMillis(System.currentTimeMillis()), r.yieldBehind(),
                                r.maxYield(), yields)),
                (e, of, loss, ndcg) -> LOG.infof("re-fit epoch %d/%d: loss %.3f, validation NDCG@10 %.4f", e, of,
                        loss, ndcg));
        gain = result.epochsNdcg10() - result.startNdcg10();
        String scores = String.format(Locale.ROOT, "held-out NDCG@10 %.4f at best against %.4f for the weights it "
                + "started from, on %d users, %.0f s", result.epochsNdcg10(), result.startNdcg10(), result.heldOut(),
                (System.nanoTime() - start) / 1e9);
        if (result.bestEpoch() == 0) {
            rejected.increment();
            LOG.infof("re-fit rejected: every epoch scored below the served weights (%s)", scores);
            return false;
        }
        trainer.adopt(result.weights()).get(HANDOVER_SECONDS, TimeUnit.SECONDS);
        accepted.increment();
        LOG.infof("re-fit accepted, epoch %d of %d in service: %s", result.bestEpoch(), result.epochs(), scores);
        return true;
    }

    @PreDestroy
    void stop() {
        running = false;
        BackgroundThread.stop(thread);
        if (lastGain != null) {
            registry.remove(lastGain);
            registry.remove(passing);
            registry.remove(yields);
        }
    }
}
