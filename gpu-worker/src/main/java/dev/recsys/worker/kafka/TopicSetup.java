package dev.recsys.worker.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

import dev.recsys.worker.config.WorkerConfig;

/**
 * Creates the feedback, score-request, score-reply and (compacted) items topics, and a dead-letter topic for
 * each topic the worker reads, when {@code worker.topics.create} is on and they are missing (another worker
 * creating them at the same moment is fine). A cluster that does not answer within 30 s fails the start with the reason.
 */
@ApplicationScoped
public class TopicSetup {

    private static final Logger LOG = Logger.getLogger(TopicSetup.class);

    @Inject
    KafkaClients clients;

    @Inject
    WorkerConfig config;

    // Before the consumers start polling: observers of StartupEvent run in priority order.
    void create(@Observes @jakarta.annotation.Priority(1) StartupEvent event) {
        WorkerConfig.Topics topics = config.topics();
        if (!topics.create()) {
            return;
        }
        // Each copy of a user's data lives as long as its topic's retention (docs/api.md, forget-user).
        Map<String, Integer> wanted = new HashMap<>();
        Map<String, Duration> retention = new HashMap<>();
        wanted.put(config.feedbackTopic(), topics.feedbackPartitions());
        retention.put(config.feedbackTopic(), topics.retention());
        for (String t : List.of(config.scoring().requestTopic(), config.scoring().replyTopic())) {
            wanted.put(t, topics.scoringPartitions());
            retention.put(t, topics.requestRetention());
        }
        String dlq = config.records().deadLetterSuffix();
        for (String source : List.of(config.feedbackTopic(), config.scoring().requestTopic(), config.items().topic())) {
            wanted.put(source + dlq, 1);
            retention.put(source + dlq, topics.deadLetterRetention());
        }
        long timeoutMs = config.broker().adminTimeout().toMillis();
        try (Admin admin = Admin.create(clients.config(Map.of(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs)))) {
            Set<String> existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            wanted.forEach((name, partitions) -> {
                if (!existing.contains(name)) {
                    missing.add(new NewTopic(name, partitions, topics.replication()).configs(Map.of(
                            TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.get(name).toMillis()))));
                }
            });
            if (!existing.contains(config.items().topic())) {
                // Compacted: the newest update of each item is all a restarted worker needs to read.
                missing.add(new NewTopic(config.items().topic(), config.items().partitions(), topics.replication())
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                                TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG,
                                Long.toString(config.items().compactionLag().toMillis()))));
            }
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            LOG.infof("created topics %s", missing.stream().map(t -> t.name() + " (" + t.numPartitions() + ")").toList());
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the worker's topics on " + clients.bootstrap() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }
}
