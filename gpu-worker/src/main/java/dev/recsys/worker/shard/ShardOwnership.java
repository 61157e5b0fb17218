package dev.recsys.worker.shard;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.recsys.core.UserHistory;
import dev.recsys.core.checkpoint.CheckpointImage;
import dev.recsys.store.StoreUnavailableException;
import dev.recsys.wire.ScoreReply;
import dev.recsys.worker.checkpoint.WorkerCheckpoints;
import dev.recsys.worker.config.WorkerConfig;
import dev.recsys.worker.model.FeedbackPosition;
import dev.recsys.worker.model.UserPartitions;
import dev.recsys.worker.model.WorkerModel;

/**
 * Which users a serving shard holds: those of the {@code feedback} partitions Kafka's group protocol assigns
 * it (shards share one consumer group, so their partitions are disjoint and cover the topic). On assignment
 * the shard takes each new partition's users' histories from the newest checkpoint a shard wrote of that
 * partition ({@link PartitionCheckpointer}), or, where none has yet, from the trainer's newest checkpoint
 * (reading those partitions' parts and the item part, not every user's), and replays the partition's log
 * from that checkpoint's offset; until it has read to where the log ended at assignment, the partition's
 * score requests are answered "unavailable", never from a partial history. A partition assigned
 * away takes its users' histories with it. Kafka decides who owns what; there is no protocol of our own.
 */
@ApplicationScoped
public class ShardOwnership {

    private static final Logger LOG = Logger.getLogger(ShardOwnership.class);
    private static final int LOAD_ATTEMPTS = 3;
    /** The feedback group of a primary or trainer (application.properties). */
    static final String TRAINERS_GROUP = "gpu-worker-feedback";

    private final boolean enabled;
    private final String topic;
    private final WorkerModel model;
    private final FeedbackPosition applied;
    private final WorkerCheckpoints checkpoints;
    /** Owned partitions to the log end (read-committed) they must be read to before serving. */
    private final Map<Integer, Long> owned = new ConcurrentHashMap<>();
    private final Set<Integer> caughtUp = ConcurrentHashMap.newKeySet();
    /** Revoked or lost, not yet assigned again: another shard may be applying their new events. */
    private final Set<Integer> suspended = ConcurrentHashMap.newKeySet();
    private final Counter takeOversFromParts;
    private final Counter takeOversFromTrainer;
    private final Counter handOvers;
    private final Timer restoring;
    private volatile int partitions;
    private volatile Set<Integer> ownedNow = Set.of();

    @Inject
    public ShardOwnership(WorkerConfig config, WorkerModel model, FeedbackPosition applied,
            WorkerCheckpoints checkpoints, MeterRegistry registry) {
        this.enabled = config.mode() == WorkerConfig.Mode.SHARD;
        this.topic = config.feedbackTopic();
        this.model = model;
        this.applied = applied;
        this.checkpoints = checkpoints;
        this.takeOversFromParts = Counter.builder("worker.shard.partitions.taken")
                .description("feedback partitions this shard took over (their users' histories from a checkpoint)")
                .tag("from", "shard-part").register(registry);
        this.takeOversFromTrainer = Counter.builder("worker.shard.partitions.taken")
                .description("feedback partitions this shard took over (their users' histories from a checkpoint)")
                .tag("from", "trainer").register(registry);
        this.handOvers = Counter.builder("worker.shard.partitions.handed")
                .description("feedback partitions this shard handed over (their users' histories dropped)")
                .register(registry);
        this.restoring = Timer.builder("worker.shard.take-over")
                .description("loading a checkpoint and restoring the histories of newly assigned partitions")
                .publishPercentiles(0.5, 0.99).register(registry);
        Gauge.builder("worker.shard.partitions", () -> enabled ? ownedNow.size() : 0)
                .description("feedback partitions this shard owns").register(registry);
    }

    /**
     * A shard in the trainer's feedback group would split the feedback with it: the trainer would miss events.
     * Refused at start, with what to set.
     */
    void checkGroup(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) {
        String group = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("mp.messaging.incoming.feedback.group.id", String.class).orElse("");
        if (enabled && group.equals(TRAINERS_GROUP)) {
            throw new IllegalStateException("worker.mode=shard: set mp.messaging.incoming.feedback.group.id to the "
                    + "shards' own group (e.g. gpu-worker-shards), not the trainer's " + TRAINERS_GROUP
                    + ": in one group the trainer and the shards would split the feedback between them");
        }
    }

    /** Whether this worker is a serving shard at all. */
    public boolean enabled() {
        return enabled;
    }

    /**
     * Kafka assigned {@code assignment} (the whole of it: the eager protocol revokes and reassigns everything).
     * Runs on the feedback consumer's polling thread, before it seeks; holds the state's lock while it changes
     * what is held, so no batch is applied half before and half after.
     */
    void assigned(Consumer<?, ?> consumer, Collection<TopicPartition> assignment) {
        partitions = consumer.partitionsFor(topic).size();
        Set<Integer> now = assignment.stream().map(TopicPartition::partition).collect(Collectors.toSet());
        Set<Integer> leaving = new HashSet<>(owned.keySet());
        leaving.removeAll(now);
        Set<Integer> arriving = new HashSet<>(now);
        arriving.removeAll(owned.keySet());
        if (!leaving.isEmpty()) {
            // First: records of these partitions fetched before the rebalance are dropped from now on.
            Set<Integer> staying = new HashSet<>(ownedNow);
            staying.removeAll(leaving);
            ownedNow = Set.copyOf(staying);
            handOver(leaving);
        }
        if (!arriving.isEmpty()) {
            long t0 = System.nanoTime();
            Map<Integer, CheckpointImage> parts = new TreeMap<>();
            for (int p : arriving) {
                withRetries(() -> checkpoints.loadPart(p, partitions)).ifPresent(r -> parts.put(p, r.state()));
            }
            Set<Integer> fromTrainer = new HashSet<>(arriving);
            fromTrainer.removeAll(parts.keySet());
            CheckpointImage checkpoint = fromTrainer.isEmpty() ? null : latestCheckpoint(fromTrainer);
            Map<TopicPartition, Long> ends = consumer.endOffsets(
                    arriving.stream().map(p -> new TopicPartition(topic, p)).toList());
            applied.applying(() -> arriving.forEach(p -> {
                boolean ownPart = parts.containsKey(p);
                takeOver(p, ownPart ? parts.get(p) : checkpoint, ownPart ? "a shard's checkpoint of it" : "the trainer's");
                (ownPart ? takeOversFromParts : takeOversFromTrainer).increment();
            }));
            ends.forEach((tp, end) -> owned.put(tp.partition(), end));
            restoring.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        }
        ownedNow = Set.copyOf(now);
        suspended.clear();
        LOG.infof("shard owns feedback partitions %s of %d (took over %s, handed over %s); %d users held",
                new TreeMap<>(owned).keySet(), partitions, arriving, leaving, model.state().histories().users());
    }

    /**
     * Partitions revoked (a rebalance begins) or lost (this shard was dropped from the group): until Kafka
     * assigns them again, another shard may own them and apply their new events, so they are not served.
     */
    void revoked(Collection<TopicPartition> revoked) {
        revoked.forEach(tp -> suspended.add(tp.partition()));
    }

    /** @param from which checkpoint, for the log line */
    private void takeOver(int partition, CheckpointImage checkpoint, String from) {
        Map<String, UserHistory.Image> users = new TreeMap<>();
        OptionalLong next = OptionalLong.empty();
        if (checkpoint != null) {
            checkpoint.histories().forEach((user, history) -> {
                if (UserPartitions.of(user, partitions) == partition) {
                    users.put(user, history);
                }
            });
            Long offset = checkpoint.nextOffsets().get(partition);
            next = offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
            model.state().eventIds().merge(checkpoint.eventIds());
        }
        model.state().histories().restoreUsers(users);
        applied.takeOver(partition, next);
        caughtUp.remove(partition);
        LOG.infof("took over feedback partition %d: %d users from %s, catching up on the log from %s", partition,
                users.size(), checkpoint == null ? "no checkpoint" : from,
                next.isPresent() ? "offset " + next.getAsLong() : "its beginning");
    }

    private void handOver(Set<Integer> leaving) {
        applied.applying(() -> {
            List<String> gone = model.state().histories().removeUsers(
                    user -> leaving.contains(UserPartitions.of(user, partitions)));
            gone.forEach(model.state().eventIds()::forget);
            leaving.forEach(p -> {
                applied.handOver(p);
                owned.remove(p);
                caughtUp.remove(p);
            });
            handOvers.increment(leaving.size());
            LOG.infof("handed over feedback partitions %s: %d users' histories dropped", leaving, gone.size());
        });
    }

    /**
     * The trainer's newest checkpoint, its item part and {@code arriving}'s histories, retried a little; null
     * when there is none yet.
     */
    private CheckpointImage latestCheckpoint(Set<Integer> arriving) {
        return withRetries(() -> checkpoints.loadForPartitions(arriving, partitions))
                .map(WorkerCheckpoints.Restored::state).orElse(null);
    }

    /** A read of the checkpoint store, tried {@value #LOAD_ATTEMPTS} times; then the consumer fails with why. */
    private <T> T withRetries(java.util.function.Supplier<T> read) {
        for (int attempt = 1;; attempt++) {
            try {
                return read.get();
            } catch (StoreUnavailableException e) {
                if (attempt >= LOAD_ATTEMPTS) {
                    // Serving these users from the log's retained tail alone could miss older events: fail the
                    // consumer (health says why) rather than answer from partial histories.
                    throw new IllegalStateException("checkpoint store " + checkpoints.describe()
                            + " unreachable; cannot take over partitions without their users' histories", e);
                }
                LOG.warnf("checkpoint store unreachable while taking over partitions (attempt %d): %s", attempt,
                        e.getMessage());
                try {
                    Thread.sleep(500L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while taking over partitions", ie);
                }
            }
        }
    }

    /** Partitions owned now (feedback's numbers, and so score-requests' too). */
    public Set<Integer> owned() {
        return ownedNow;
    }

    /** Partition count of feedback as last seen (0 before the first assignment). */
    public int partitions() {
        return partitions;
    }

    /**
     * Whether {@code partition}'s users can be answered: owned, and its log read to where it ended when it was
     * assigned. Once true it stays true until the partition is handed over; a rebalance suspends it meanwhile.
     */
    public boolean servable(int partition) {
        if (suspended.contains(partition)) {
            return false;
        }
        if (caughtUp.contains(partition)) {
            return true;
        }
        Long end = owned.get(partition);
        if (end != null && applied.reached(partition, end)) {
            caughtUp.add(partition);
            LOG.infof("feedback partition %d caught up; its users are served", partition);
            return true;
        }
        return false;
    }

    /** Users whose histories this worker holds. */
    public int users() {
        return model.state().histories().users();
    }

    /**
     * Why this shard cannot answer a request for {@code userId}'s history that came on {@code recordPartition},
     * or null: the request is on another user's partition (not keyed by its userId), or the partition is still
     * replaying after a take-over (unavailable: the caller retries; never an answer from part of a history).
     */
    public ScoreReply.Error refusal(int recordPartition, String userId) {
        int partition = UserPartitions.of(userId, partitions);
        if (partition != recordPartition) {
            return new ScoreReply.Error(ScoreReply.Error.INVALID, "key", "in a sharded deployment a request for a "
                    + "user must be keyed by its userId (it came on partition " + recordPartition + ", the user's is "
                    + partition + ")");
        }
        if (!servable(partition)) {
            return new ScoreReply.Error(ScoreReply.Error.UNAVAILABLE, null, "this user's shard is taking over their "
                    + "partition and catching up on its log; retry in a few seconds");
        }
        return null;
    }

    /** Owned partitions still catching up on their log after a take-over. */
    public Set<Integer> catchingUp() {
        Set<Integer> out = new HashSet<>(ownedNow);
        out.removeIf(this::servable);
        return out;
    }
}
