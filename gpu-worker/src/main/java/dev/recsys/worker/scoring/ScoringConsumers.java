package dev.recsys.worker.scoring;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.recsys.worker.config.WorkerConfig;
import dev.recsys.worker.kafka.KafkaClients;

/** The scoring loop's two plain consumers: the one that reads score requests, and the one that looks up offsets. */
final class ScoringConsumers {

    private ScoringConsumers() {
    }

    /** Reads score requests: by a group for a single worker or replicas, by assignment for a shard. */
    static KafkaConsumer<String, byte[]> requests(KafkaClients clients, WorkerConfig config, boolean shard) {
        WorkerConfig.Scoring scoring = config.scoring();
        Map<String, Object> own = shard
                // A shard takes the partitions of the feedback partitions Kafka gave it, by assignment: no group
                // of its own, nothing committed (a new owner starts at the requests still worth answering).
                ? Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, scoring.maxBatch())
                : Map.of(ConsumerConfig.GROUP_ID_CONFIG, scoring.groupId(),
                        // Static membership: a worker restarted after a crash takes its partitions back at once
                        // instead of waiting out the dead member's session (all of it unanswered requests).
                        ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.instanceId() + "-scoring",
                        // Only fresh requests matter: a restarted worker starts at the end.
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, scoring.maxBatch());
        return new KafkaConsumer<>(clients.config(own), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    /** Looks up where the feedback log ends for a read-committed reader (what ingest has acknowledged). */
    static KafkaConsumer<String, byte[]> offsets(KafkaClients clients) {
        return new KafkaConsumer<>(clients.config(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")),
                new StringDeserializer(), new ByteArrayDeserializer());
    }
}
