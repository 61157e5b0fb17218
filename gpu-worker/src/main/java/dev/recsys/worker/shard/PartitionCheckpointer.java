package dev.recsys.worker.shard;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import dev.recsys.core.AppliedEventIds;
import dev.recsys.core.PopularityScorer;
import dev.recsys.core.UserHistory;
import dev.recsys.core.checkpoint.CheckpointImage;
import dev.recsys.store.Manifest;
import dev.recsys.worker.checkpoint.WorkerCheckpoints;
import dev.recsys.worker.config.WorkerConfig;
import dev.recsys.worker.model.BackgroundThread;
import dev.recsys.worker.model.FeedbackPosition;
import dev.recsys.worker.model.UserPartitions;
import dev.recsys.worker.model.WorkerModel;

/**
 * A serving shard's own checkpoints of the users it holds, one part per owned feedback partition: their
 * histories and event ids and the partition's next offset, cut under the state's lock like a whole checkpoint.
 * The shard that takes a partition over next reads this part, not the trainer's checkpoint: so users need
 * not be held by the trainer at all (its histories are a bounded buffer of recent users, evicted least
 * recently active first), and a take-over reads one partition's users. Written every
 * {@code worker.checkpoint.interval} for each partition whose offset moved; after a user was forgotten, every
 * owned partition's part is written again and the older parts removed.
 */
@ApplicationScoped
public class PartitionCheckpointer {

    private static final Logger LOG = Logger.getLogger(PartitionCheckpointer.class);

    private final WorkerConfig config;
    private final WorkerModel model;
    private final FeedbackPosition applied;
    private final ShardOwnership ownership;
    private final WorkerCheckpoints checkpoints;
    private final Counter written;
    private final Counter failures;
    /** Per partition, the next offset its last part holds. */
    private final Map<Integer, Long> writtenAt = new ConcurrentHashMap<>();
    private long forgetsWritten;
    private volatile boolean running;
    private Thread thread;

    @Inject
    public PartitionCheckpointer(WorkerConfig config, WorkerModel model, FeedbackPosition applied,
            ShardOwnership ownership, WorkerCheckpoints checkpoints, MeterRegistry registry) {
        this.config = config;
        this.model = model;
        this.applied = applied;
        this.ownership = ownership;
        this.checkpoints = checkpoints;
        this.written = Counter.builder("worker.shard.parts.written")
                .description("checkpoints of one owned partition's users this shard wrote").register(registry);
        this.failures = Counter.builder("worker.shard.parts.failures")
                .description("partition checkpoints that failed (retried at the next interval)").register(registry);
    }

    void start(@Observes StartupEvent event) {
        if (!ownership.enabled() || !checkpoints.enabled()) {
            return;
        }
        running = true;
        forgetsWritten = model.state().forgotten().requests();
        thread = BackgroundThread.start("partition-checkpointer", this::run);
        LOG.infof("serving shard: checkpoints of its partitions' users every %s to %s/partitions/",
                config.checkpoint().interval(), checkpoints.describe());
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        // Bounded: a part being written may finish, or is left unreferenced (the pointer moves last).
        BackgroundThread.stop(thread);
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(config.checkpoint().interval().toMillis());
            } catch (InterruptedException e) {
                return;
            }
            try {
                writeDue();
            } catch (RuntimeException e) {
                failures.increment();
                LOG.errorf("partition checkpoint to %s failed, retrying in %s: %s", checkpoints.describe(),
                        config.checkpoint().interval(), e.toString());
            }
        }
    }

    /** Writes the part of every owned partition whose offset moved, or of all after a forget. */
    void writeDue() {
        long forgets = model.state().forgotten().requests();
        boolean forgot = forgets != forgetsWritten;
        for (int partition : ownership.owned()) {
            OptionalLong next = applied.nextOffset(partition);
            if (next.isEmpty() || (!forgot && Long.valueOf(next.getAsLong()).equals(writtenAt.get(partition)))) {
                continue;
            }
            Manifest part = write(partition);
            if (part != null && forgot) {
                // The older parts still hold the forgotten users.
                checkpoints.removePartsOlderThan(partition, ownership.partitions(), part.id());
            }
        }
        forgetsWritten = forgets;
    }

    /** One partition's users as copied at the cut. */
    private record Users(SortedMap<String, UserHistory.Image> histories, AppliedEventIds.Image eventIds) {
    }

    /** The partition's part, or null when it was handed over meanwhile (no position: nothing of it is held). */
    private Manifest write(int partition) {
        int partitions = ownership.partitions();
        FeedbackPosition.Cut<Users> cut = applied.cut(() -> {
            SortedMap<String, UserHistory.Image> users = model.state().histories()
                    .state(user -> UserPartitions.of(user, partitions) == partition);
            return new Users(users, model.state().eventIds().stateOf(users.keySet()));
        });
        Long next = cut.nextOffsets().get(partition);
        if (next == null) {
            return null;
        }
        Users users = cut.state();
        Manifest manifest = checkpoints.writePart(partition, partitions, new CheckpointImage(List.of(),
                users.histories(), new PopularityScorer.Image(new TreeMap<>(), 0, 0, 0), Map.of(partition, next),
                users.histories().size(), Optional.empty(), Map.of(), users.eventIds()));
        writtenAt.put(partition, next);
        written.increment();
        LOG.debugf("partition %d checkpoint %s: %d users, next offset %d", partition, manifest.id(),
                users.histories().size(), next);
        return manifest;
    }
}
