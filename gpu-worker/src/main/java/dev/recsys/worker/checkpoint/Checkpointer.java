package dev.recsys.worker.checkpoint;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import dev.recsys.core.AppliedEventIds;
import dev.recsys.core.ForgottenUsers;
import dev.recsys.core.PopularityScorer;
import dev.recsys.core.UserHistory;
import dev.recsys.core.checkpoint.CheckpointImage;
import dev.recsys.core.checkpoint.CheckpointImageCodec;
import dev.recsys.core.neighbours.ItemTables;
import dev.recsys.core.sasrec.ModelSnapshot;
import dev.recsys.core.sasrec.OnlineTrainer;
import dev.recsys.store.Manifest;
import dev.recsys.worker.config.WorkerConfig;
import dev.recsys.worker.model.FeedbackPosition;
import dev.recsys.worker.model.UserPartitions;
import dev.recsys.worker.model.WorkerModel;

/**
 * Writes a checkpoint every {@code interval} or {@code events} applied events, whichever comes first, and
 * once more on graceful shutdown. The feedback consumer waits only while the state is copied in memory;
 * encoding and upload happen after, and scoring never waits. A failed checkpoint is logged with its cause
 * and retried with doubling backoff; the worker goes on serving and consuming meanwhile.
 */
@ApplicationScoped
public class Checkpointer {

    private static final Logger LOG = Logger.getLogger(Checkpointer.class);
    private static final Duration TRAINER_WAIT = Duration.ofSeconds(60);
    private static final Duration DEAD_LETTER_WAIT = Duration.ofSeconds(10);
    /** How long forgets gather before the checkpoint without them: a burst costs one checkpoint, not one each. */
    static final Duration FORGET_COALESCE = Duration.ofSeconds(1);

    private final WorkerConfig.Checkpoint config;
    private final boolean replica;
    private final WorkerModel model;
    private final FeedbackPosition applied;
    private final WorkerCheckpoints checkpoints;
    private final RefusedRecords deadLetters;
    private final Timer duration;
    private final Timer pause;
    private final Counter failures;

    @Inject
    CataloguePosition cataloguePosition;

    @Inject
    dev.recsys.core.ItemCatalogue catalogue;

    private volatile boolean running;
    /** What the health check shows: the newest checkpoint written and the failures since. */
    private volatile Outcome outcome = new Outcome(null, 0, 0, null);
    private volatile Thread thread;
    private long checkpointedEvents;
    /** Forget requests in the last checkpoint's state: one that holds more makes the older ones go. */
    private volatile long checkpointedForgets;
    /** Items records handled as of the last checkpoint. */
    private volatile long checkpointedCatalogue;
    /** The model state as of the last checkpoint: a model installed since (bootstrap) makes one due. */
    private volatile WorkerModel.State checkpointedModel;
    private long lastAttemptNanos = System.nanoTime();
    /** When this thread first saw forgets that no checkpoint holds yet; 0 when there are none. */
    private long forgetSeenNanos;
    private long retryAtNanos;
    private int failedInARow;

    @Inject
    public Checkpointer(WorkerConfig config, WorkerModel model, FeedbackPosition applied,
            WorkerCheckpoints checkpoints, RefusedRecords deadLetters, MeterRegistry registry) {
        this.config = config.checkpoint();
        this.replica = !config.mode().trains();
        this.model = model;
        this.applied = applied;
        this.checkpoints = checkpoints;
        this.deadLetters = deadLetters;
        this.duration = Timer.builder("worker.checkpoint.duration").description("copy, encode and write one checkpoint")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.pause = Timer.builder("worker.checkpoint.pause")
                .description("how long feedback consuming waited while a checkpoint copied the state")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.failures = Counter.builder("worker.checkpoint.failures").description("checkpoints that failed")
                .register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("worker.checkpoint.read.bytes", checkpoints,
                WorkerCheckpoints::bytesRead).description("bytes of checkpoints read back from the store (a "
                        + "shard's take-over reads its partitions' part and the item part)").baseUnit("bytes")
                .register(registry);
    }

    void start(@Observes StartupEvent event) {
        if (!checkpoints.enabled()) {
            LOG.info("no checkpoint store (worker.checkpoint.store): state is rebuilt from the feedback log on start");
            return;
        }
        if (replica) {
            LOG.infof("replica: reads checkpoints from %s, writes none", checkpoints.describe());
            return;
        }
        checkpointedEvents = applied.events();
        checkpointedModel = model.state();
        checkpointedForgets = model.state().forgotten().requests();
        running = true;
        thread = new Thread(this::run, "checkpointer");
        thread.setDaemon(true);
        thread.start();
        LOG.infof("checkpoints to %s every %s or %d events, keeping %d", checkpoints.describe(), config.interval(),
                config.events(), config.retain());
    }

    void stop(@Observes ShutdownEvent event) {
        if (thread == null) {
            return;
        }
        running = false;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (config.onShutdown()) {
            try {
                checkpoint("shutdown");
            } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                LOG.errorf(e, "shutdown checkpoint to %s failed; the next start replays from the last good one",
                        checkpoints.describe());
            }
        }
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            long fresh = applied.events() - checkpointedEvents;
            boolean forgets = model.state().forgotten().requests() != checkpointedForgets;
            if (forgets && forgetSeenNanos == 0) {
                forgetSeenNanos = now;
            } else if (!forgets) {
                forgetSeenNanos = 0;
            }
            // A forgotten user is in every checkpoint written before: one without them is due, a burst of
            // forgets coalesced into one within FORGET_COALESCE.
            boolean catalogueMoved = cataloguePosition.handled() != checkpointedCatalogue;
            boolean due = fresh >= config.events() || model.state() != checkpointedModel
                    || forgets && now - forgetSeenNanos >= FORGET_COALESCE.toNanos()
                    || ((fresh > 0 || catalogueMoved) && now - lastAttemptNanos >= config.interval().toNanos());
            if (!due || now < retryAtNanos) {
                continue;
            }
            lastAttemptNanos = now;
            try {
                checkpoint("scheduled");
                failedInARow = 0;
            } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                outcome = outcome.failed(e);
                // An encoding that ran out of heap (a blob past what the codec can write) fails this checkpoint
                // only: its buffers are garbage now, and the worker goes on serving from the last good one.
                failures.increment();
                failedInARow++;
                Duration backoff = config.backoff().multipliedBy(1L << Math.min(failedInARow - 1, 20));
                if (backoff.compareTo(config.maxBackoff()) > 0) {
                    backoff = config.maxBackoff();
                }
                retryAtNanos = System.nanoTime() + backoff.toNanos();
                LOG.errorf("checkpoint to %s failed (%d in a row), retrying in %s; serving goes on: %s",
                        checkpoints.describe(), failedInARow, backoff, e.toString());
            }
        }
    }

    /** Copies the state at one cut in the feedback stream, adds the model, and writes it. */
    synchronized Manifest checkpoint(String why) {
        long start = System.nanoTime();
        WorkerModel.State parts = model.state();
        FeedbackPosition.Cut<Copied> cut = applied.cut(() -> new Copied(
                parts.vocabulary() == null ? List.of() : parts.vocabulary().items(),
                parts.histories().state(), parts.popularity().state(), parts.tables().freeze(),
                parts.eventIds().state(), parts.forgotten().requests()));
        pause.record(cut.pauseNanos(), TimeUnit.NANOSECONDS);
        // Records refused before the cut must be on their dead-letter topic before a checkpoint moves past
        // them: after a restart the log is replayed only from there.
        if (!deadLetters.flush(DEAD_LETTER_WAIT)) {
            throw new IllegalStateException("refused records were not confirmed on their dead-letter topics within "
                    + DEAD_LETTER_WAIT);
        }
        long catalogueHandled = cataloguePosition.handled();
        CheckpointImage state = new CheckpointImage(cut.state().vocabulary(), cut.state().histories(),
                cut.state().popularity(), cut.nextOffsets(), cut.events(), modelState(parts),
                cut.state().tables().state(), cut.state().eventIds(),
                ForgottenUsers.Image.EMPTY, Optional.of(cataloguePosition.cut(catalogue::entries)));
        int partitions = applied.partitionCount();
        Manifest written = checkpoints.write(state, partitions == 0 ? CheckpointImageCodec.Split.WHOLE
                : new CheckpointImageCodec.Split(partitions, user -> UserPartitions.of(user, partitions)));
        if (cut.state().forgets() != checkpointedForgets) {
            // The older ones still hold the forgotten users, and are the fallback until this one reads back.
            if (!checkpoints.readsBack(written.id())) {
                throw new IllegalStateException("checkpoint " + written.id() + " does not read back from "
                        + checkpoints.describe() + "; the older ones stay until one does");
            }
            int removed = checkpoints.removeOlderThan(written.id());
            LOG.infof("users were forgotten: removed the %d checkpoints written before %s", removed, written.id());
            checkpointedForgets = cut.state().forgets();
        }
        long took = System.nanoTime() - start;
        duration.record(took, TimeUnit.NANOSECONDS);
        checkpointedEvents = cut.events();
        checkpointedModel = parts;
        checkpointedCatalogue = catalogueHandled;
        outcome = new Outcome(written.id(), System.currentTimeMillis(), 0, null);
        LOG.infof("checkpoint %s (%s) written to %s: %d events, %d users, %d items, consumer paused %.1f ms, %.0f ms in all",
                written.id(), why, checkpoints.describe(), cut.events(), state.histories().size(),
                state.vocabulary().size(), cut.pauseNanos() / 1e6, took / 1e6);
        return written;
    }

    /** Weights with the trainer's optimizer state when training, else the served weights. */
    private Optional<CheckpointImage.ModelState> modelState(WorkerModel.State parts) {
        if (parts.modelConfig() == null) {
            return Optional.empty();
        }
        Optional<OnlineTrainer> trainer = model.trainer().filter(t -> t.stopped().isEmpty());
        if (trainer.isPresent()) {
            try {
                OnlineTrainer.TrainerState t = trainer.get().checkpoint()
                        .get(TRAINER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                return Optional.of(new CheckpointImage.ModelState(parts.modelConfig(), t.weights(),
                        Optional.of(t.optimizer()), t.steps(), t.startingRows(), parts.fittedThroughMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the trainer's state", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("the online trainer did not hand over its state within "
                        + TRAINER_WAIT + ": " + e, e);
            }
        }
        ModelSnapshot snapshot = model.serving().flatMap(s -> s.acquire())
                .orElseThrow(() -> new IllegalStateException("no model snapshot to checkpoint"));
        try {
            return Optional.of(new CheckpointImage.ModelState(parts.modelConfig(), snapshot.model().weights(),
                    Optional.empty(), model.trainer().map(OnlineTrainer::steps).orElse(0L), 0,
                    parts.fittedThroughMillis()));
        } finally {
            snapshot.release();
        }
    }

    /** What is copied while the consumer waits. */
    private record Copied(List<String> vocabulary, SortedMap<String, UserHistory.Image> histories,
            PopularityScorer.Image popularity, ItemTables.Frozen tables, AppliedEventIds.Image eventIds,
            long forgets) {
    }

    /** Whether this worker writes checkpoints (a store is set and it is not a replica or shard). */
    public boolean writes() {
        return thread != null;
    }

    /** The newest checkpoint written and the failures since (null before the first). */
    public Outcome outcome() {
        return outcome;
    }

    /**
     * @param lastWritten    the newest checkpoint this worker wrote, or null
     * @param writtenAtMillis when
     * @param failedSince    checkpoints failed after it
     * @param lastFailure    the newest failure's kind and message, control characters replaced, or null
     */
    public record Outcome(String lastWritten, long writtenAtMillis, int failedSince, String lastFailure) {

        Outcome failed(Throwable e) {
            String message = e.getClass().getSimpleName() + ": " + e.getMessage();
            return new Outcome(lastWritten, writtenAtMillis, failedSince + 1,
                    dev.recsys.wire.validation.Printable.of(message, 300));
        }
    }
}
