package dev.recsys.functions.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
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
 */
final class CommitVisibility implements AutoCloseable {

    private static final ListOffsetsOptions COMMITTED = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);

    private final Map<String, Object> adminConfig;
    private final Duration bound;
    private Admin admin;

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
     * @return false when the records were not readable within the bound (they are committed all the same)
     */
    boolean await(List<Future<RecordMetadata>> sent) throws InterruptedException, ExecutionException {
        Map<TopicPartition, Long> last = new HashMap<>();
        for (Future<RecordMetadata> f : sent) {
            RecordMetadata m = f.get();
            last.merge(new TopicPartition(m.topic(), m.partition()), m.offset(), Math::max);
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        last.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> stable;
            try {
                stable = admin().listOffsets(latest, COMMITTED).all().get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return false;
            }
            if (last.entrySet().stream().allMatch(e -> stable.get(e.getKey()).offset() > e.getValue())) {
                return true;
            }
            Thread.sleep(1);
        }
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
