package dev.recsys.functions.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits, after a transaction committed, until read_committed readers can see its records. A commit returns
 * once the transaction coordinator has logged it; the markers that make the records readable reach each
 * partition a moment later. Until then the partition's last stable offset is still before the records, so a
 * worker that asked "how far is the log?" right after a 202 would think it had everything. Answering only
 * once the stable offset has passed the records makes a 202 mean "readable now", which read-your-writes
 * builds on. Owned by the publisher's thread.
 * <p>
 * A partition whose records do not become readable within the bound is held by someone else's open
 * transaction (its last stable offset stalled); it is remembered with that offset, and batches for it are
 * refused before they are sent ({@link #stalledAmong}) until its stable offset moves.
 */
final class CommitVisibility implements AutoCloseable {

    private static final ListOffsetsOptions COMMITTED = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);

    private final Map<String, Object> adminConfig;
    private final Duration bound;
    private Admin admin;
    /** Partitions found held, with the stable offset they were held at. */
    private final Map<TopicPartition, Long> stalled = new HashMap<>();

    /** @param kafkaDefaults the application's kafka.* settings (security among them) */
    CommitVisibility(Map<String, Object> kafkaDefaults, String bootstrapServers, Duration bound) {
        Map<String, Object> config = new HashMap<>();
        kafkaDefaults.forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k)) {
                config.put(k, v);
            }
        });
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) bound.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) bound.toMillis());
        this.adminConfig = Map.copyOf(config);
        this.bound = bound;
    }

    /**
     * @param sent the committed transaction's sends (all complete: the commit flushed them)
     * @return the partitions whose records were not readable within the bound (they are committed all the
     *         same): empty when every record is readable
     */
    Set<TopicPartition> await(List<Future<RecordMetadata>> sent) throws InterruptedException, ExecutionException {
        Map<TopicPartition, Long> last = new HashMap<>();
        for (Future<RecordMetadata> f : sent) {
            RecordMetadata m = f.get();
            last.merge(new TopicPartition(m.topic(), m.partition()), m.offset(), Math::max);
        }
        long deadline = System.nanoTime() + bound.toNanos();
        Map<TopicPartition, Long> stable = Map.of();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                try {
                    stable = stableOffsets(last.keySet(), left);
                } catch (TimeoutException e) {
                    left = 0;
                }
            }
            Map<TopicPartition, Long> seen = stable;
            Set<TopicPartition> behind = new HashSet<>();
            last.forEach((tp, offset) -> {
                if (seen.getOrDefault(tp, -1L) <= offset) {
                    behind.add(tp);
                }
            });
            if (behind.isEmpty() || left <= 0) {
                behind.forEach(tp -> stalled.put(tp, seen.getOrDefault(tp, -1L)));
                return behind;
            }
            Thread.sleep(1);
        }
    }

    /**
     * Which of {@code partitions} are still held: found held before, and their stable offset has not moved
     * since (asked again here, within the bound; a partition that cannot be asked counts as held).
     */
    Set<TopicPartition> stalledAmong(Set<TopicPartition> partitions) throws InterruptedException {
        Set<TopicPartition> asked = new HashSet<>(partitions);
        asked.retainAll(stalled.keySet());
        if (asked.isEmpty()) {
            return Set.of();
        }
        Map<TopicPartition, Long> now;
        try {
            now = stableOffsets(asked, bound.toNanos());
        } catch (ExecutionException | TimeoutException e) {
            return asked;
        }
        Set<TopicPartition> held = new HashSet<>();
        for (TopicPartition tp : asked) {
            if (now.getOrDefault(tp, -1L) > stalled.get(tp)) {
                stalled.remove(tp);
            } else {
                held.add(tp);
            }
        }
        return held;
    }

    /** Whether any partition was found held and has not been seen moving since. */
    boolean anyStalled() {
        return !stalled.isEmpty();
    }

    private Map<TopicPartition, Long> stableOffsets(Set<TopicPartition> partitions, long timeoutNanos)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> out = new HashMap<>();
        admin().listOffsets(latest, COMMITTED).all().get(timeoutNanos, TimeUnit.NANOSECONDS)
                .forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private Admin admin() {
        if (admin == null) {
            admin = Admin.create(adminConfig);
        }
        return admin;
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
            admin = null;
        }
    }
}
