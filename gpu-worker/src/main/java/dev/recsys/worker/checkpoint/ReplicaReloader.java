package dev.recsys.worker.checkpoint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.checkpoint.CheckpointImage;
import dev.recsys.core.sasrec.ModelSnapshot;
import dev.recsys.core.sasrec.SasRecModel;
import dev.recsys.worker.config.WorkerConfig;
import dev.recsys.worker.model.FeedbackPosition;
import dev.recsys.worker.model.StartingModel;
import dev.recsys.worker.model.WorkerModel;

/**
 * A replica's model follows the primary: every {@code poll} it reads the latest pointer, and when a newer
 * checkpoint is there it loads that checkpoint's weights and swaps them in as a new snapshot, exactly as an
 * online training step's weights are swapped in. Item rows are matched by item id, not position, so the
 * replica's own vocabulary stays valid whatever order the primary met new items in. A serving shard follows
 * the trainer the same way, and takes its item tables and popularity from it too.
 */
@ApplicationScoped
public class ReplicaReloader {

    private static final Logger LOG = Logger.getLogger(ReplicaReloader.class);

    private final WorkerConfig config;
    private final WorkerModel model;
    private final WorkerCheckpoints checkpoints;
    private final FeedbackPosition applied;
    private final Counter reloads;
    private final Counter failures;
    private volatile boolean running;
    private Thread thread;
    private String current;

    @Inject
    public ReplicaReloader(WorkerConfig config, WorkerModel model, WorkerCheckpoints checkpoints,
            FeedbackPosition applied, MeterRegistry registry) {
        this.applied = applied;
        this.config = config;
        this.model = model;
        this.checkpoints = checkpoints;
        this.reloads = Counter.builder("worker.replica.reloads").description("newer checkpoints a replica took up")
                .register(registry);
        this.failures = Counter.builder("worker.replica.reload.failures")
                .description("checkpoint reloads that failed (the replica keeps serving the model it has)")
                .register(registry);
    }

    void start(@Observes StartupEvent event) {
        if (!config.mode().follows()) {
            return;
        }
        current = model.state().restoredFrom();
        running = true;
        thread = new Thread(this::run, "replica-reloader");
        thread.setDaemon(true);
        thread.start();
        LOG.infof("replica serving checkpoint %s; looking for newer ones in %s every %s", current,
                checkpoints.describe(), config.checkpoint().poll());
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(config.checkpoint().poll().toMillis());
            } catch (InterruptedException e) {
                return;
            }
            try {
                Optional<String> latest = checkpoints.latestId();
                if (latest.isPresent() && !latest.get().equals(current)) {
                    reload();
                }
            } catch (RuntimeException e) {
                failures.increment();
                LOG.errorf("replica could not read %s, keeps serving %s: %s", checkpoints.describe(), current,
                        e.getMessage());
            }
        }
    }

    private void reload() {
        // Only the item part: a replica keeps the histories it built from the log, a shard those it took over.
        Optional<WorkerCheckpoints.Restored> loaded = checkpoints.loadItemPart();
        if (loaded.isEmpty() || loaded.get().id().equals(current)) {
            return;
        }
        CheckpointImage state = loaded.get().state();
        String version = "sasrec@" + loaded.get().id();
        if (state.model().isPresent() && model.serving().isPresent()) {
            CheckpointImage.ModelState m = state.model().get();
            ItemVocabulary vocabulary = model.state().vocabulary();
            SasRecModel.Weights weights = byItemId(m.weights(), state.vocabulary(), vocabulary, m.config().dim());
            model.serving().get().publish(new ModelSnapshot(SasRecModel.of(model.state().modelConfig(), weights),
                    version, System.currentTimeMillis()));
        } else if (state.model().isPresent() && model.awaitingModel().isPresent()) {
            model.follow(StartingModel.restored(loaded.get().state(), loaded.get().id()), loaded.get().id());
            LOG.infof("the trainer's first model is in %s; serving it", version);
        }
        if (config.mode() == WorkerConfig.Mode.SHARD) {
            // A shard reads only its partitions' events: the item tables and popularity that every user's
            // answer reads come whole from the trainer, which reads them all (between checkpoints the shard
            // adds its own partitions' events). Swapped between feedback batches.
            applied.applying(() -> {
                model.state().popularity().restore(state.popularity());
                model.state().tables().restore(state.itemTables(), List.of());
                applied.aggregatesCover(state.nextOffsets());
            });
        }
        current = loaded.get().id();
        reloads.increment();
        LOG.infof("now serving checkpoint %s (%s)", loaded.get().id(),
                model.serving().isPresent() ? "its model and " + (model.state().vocabulary().rows() - 1) + " items"
                        : "no model in it yet");
    }

    /**
     * The checkpoint's weights with item rows placed where this replica's vocabulary has those items; items new
     * to the replica are added to it. Rows the checkpoint lacks stay zero (they score 0, as untrained rows do).
     */
    static SasRecModel.Weights byItemId(SasRecModel.Weights weights, List<String> checkpointItems,
            ItemVocabulary vocabulary, int dim) {
        float[] source = weights.values().get("items");
        int sourceRows = source.length / dim;
        int[] target = new int[sourceRows];
        for (int r = 1; r < sourceRows && r - 1 < checkpointItems.size(); r++) {
            target[r] = vocabulary.add(checkpointItems.get(r - 1));
        }
        int rows = vocabulary.rows();
        float[] items = new float[rows * dim];
        for (int r = 1; r < sourceRows; r++) {
            if (target[r] > 0) {
                System.arraycopy(source, r * dim, items, target[r] * dim, dim);
            }
        }
        Map<String, float[]> values = new LinkedHashMap<>(weights.values());
        Map<String, long[]> shapes = new LinkedHashMap<>(weights.shapes());
        values.put("items", items);
        shapes.put("items", new long[] { rows, dim });
        return new SasRecModel.Weights(values, shapes);
    }
}
