package dev.recsys.worker.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import io.smallrye.reactive.messaging.kafka.KafkaClientService;

import dev.recsys.worker.config.WorkerConfig;
import dev.recsys.worker.shard.ShardOwnership;

/**
 * Whether the worker has replayed the feedback log up to where it ended when the worker started: before that,
 * its histories are behind what clients were already told was accepted. The scoring loop asks it before it
 * serves; the {@code feedback-catch-up} readiness check shows it.
 */
@ApplicationScoped
public class FeedbackCatchUp {

    @Inject
    KafkaClients clients;

    @Inject
    KafkaClientService kafka;

    @Inject
    WorkerConfig config;

    @Inject
    ShardOwnership shard;

    private volatile Map<TopicPartition, Long> target;
    private volatile boolean caughtUp;
    private Admin admin;

    /**
     * @param caughtUp whether everything accepted before the start is applied
     * @param detail   what the readiness check shows beside it
     */
    public record Status(boolean caughtUp, Map<String, Object> detail) {
    }

    /** Caught up: once true, true for as long as the worker runs. */
    public boolean caughtUp() {
        return status().caughtUp();
    }

    /** Where the replay stands, asking the consumer and (once) the broker. */
    public Status status() {
        if (shard.enabled()) {
            // A shard is ready once it owns partitions and has replayed them; a take-over later makes only the
            // moved partition's users wait (503), so readiness here is about the shard as a whole.
            java.util.Set<Integer> owned = shard.owned();
            java.util.Set<Integer> catchingUp = shard.catchingUp();
            caughtUp = caughtUp || !owned.isEmpty() && catchingUp.isEmpty();
            return new Status(caughtUp, Map.of("partitions", new java.util.TreeSet<>(owned).toString(),
                    "catchingUp", new java.util.TreeSet<>(catchingUp).toString(), "users", shard.users()));
        }
        if (caughtUp) {
            return new Status(true, Map.of());
        }
        try {
            Map<TopicPartition, Long> goal = target();
            Map<TopicPartition, Long> position = kafka.<String, Object>getConsumer("feedback")
                    .runOnPollingThread(c -> {
                        Map<TopicPartition, Long> p = new HashMap<>();
                        for (TopicPartition tp : goal.keySet()) {
                            p.put(tp, c.assignment().contains(tp) ? c.position(tp) : -1L);
                        }
                        return p;
                    }).await().atMost(config.broker().callTimeout());
            long behind = 0;
            for (var e : goal.entrySet()) {
                long at = position.get(e.getKey());
                behind += at < 0 ? e.getValue() + 1 : Math.max(0, e.getValue() - at);
            }
            caughtUp = behind == 0;
            return new Status(caughtUp, Map.of("behind", behind));
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            return new Status(false, Map.of("error", e.getMessage() + " (" + root + ")"));
        }
    }

    /** The log's end (last committed transaction) as first seen, i.e. what was accepted before start. */
    private synchronized Map<TopicPartition, Long> target() {
        if (target == null) {
            if (admin == null) {
                int timeout = (int) config.broker().callTimeout().toMillis();
                admin = Admin.create(clients.config(Map.of(
                        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout,
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout)));
            }
            try {
                String topic = config.feedbackTopic();
                List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(config.broker().callTimeout().toMillis(), TimeUnit.MILLISECONDS).get(topic).partitions().stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
                Map<TopicPartition, Long> ends = new HashMap<>();
                admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                        .get(config.broker().callTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .forEach((tp, info) -> ends.put(tp, info.offset()));
                target = ends;
                admin.close(Duration.ZERO);
                admin = null;
            } catch (Exception e) {
                throw new IllegalStateException("cannot read the end of " + config.feedbackTopic() + ": " + e, e);
            }
        }
        return target;
    }

    @PreDestroy
    void close() {
        if (admin != null) {
            admin.close(Duration.ZERO);
        }
    }
}
