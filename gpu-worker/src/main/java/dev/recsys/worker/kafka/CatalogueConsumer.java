package dev.recsys.worker.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import dev.recsys.core.ItemCatalogue;
import dev.recsys.wire.ItemUpdate;
import dev.recsys.wire.validation.Checked;
import dev.recsys.wire.validation.TopicRecords;
import dev.recsys.worker.config.WorkerConfig;

/**
 * Keeps the {@link ItemCatalogue} following the {@code items} topic (no consumer group, like a global table):
 * every partition is read from where the checkpoint the worker started from left it ({@link CataloguePosition};
 * from the start without one), then followed. The checkpoint holds the catalogue itself, so what compaction
 * dropped before that point (an item's last valid update, superseded by a refused record) does not matter.
 * Until it has read up to where the topic ended at start, the worker is not ready, so a restarted worker
 * never serves an item that was hidden before.
 */
@ApplicationScoped
public class CatalogueConsumer {

    private static final Logger LOG = Logger.getLogger(CatalogueConsumer.class);

    @Inject
    KafkaClients clients;

    @Inject
    ItemCatalogue catalogue;

    @Inject
    WorkerConfig config;

    @Inject
    DeadLetters deadLetters;

    @Inject
    dev.recsys.worker.checkpoint.CataloguePosition position;

    /** Built (from the checkpoint, which sets {@link #position}) before this consumer starts. */
    @Inject
    dev.recsys.worker.model.WorkerModel model;

    @Inject
    dev.recsys.worker.WorkerThreads threads;

    private volatile boolean caughtUp;
    private volatile long applied;
    private volatile long skipped;
    private KafkaConsumer<String, byte[]> consumer;
    private TopicRecords records;
    private PollingThread loop;

    void start(@Observes io.quarkus.runtime.StartupEvent event) {
        consumer = new KafkaConsumer<>(clients.config(Map.of(
                // Item updates are published in the same kind of transaction as feedback.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // A checkpoint's offset outside the log (a recreated topic) reads it all again, never skips it.
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")),
                new StringDeserializer(), new ByteArrayDeserializer());
        records = new TopicRecords(config.records().limits());
        loop = PollingThread.start("item-catalogue", consumer, threads, true, this::run, () -> {
            caughtUp = false;
            consumer.close(Duration.ofSeconds(2));
        });
    }

    private void run(BooleanSupplier running) {
        String topic = config.items().topic();
        List<TopicPartition> partitions = partitions(topic, running);
        if (partitions.isEmpty()) {
            return;
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<Integer, Long> resume = position.resumeAt();
        for (TopicPartition p : partitions) {
            Long at = resume.get(p.partition());
            if (at != null) {
                consumer.seek(p, at);
            }
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, config.broker().adminTimeout());
        while (running.getAsBoolean()) {
            long now = System.currentTimeMillis();
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                position.handling(r.partition(), r.offset(), () -> apply(r, now));
            }
            if (!caughtUp && partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p))) {
                caughtUp = true;
                LOG.infof("item catalogue loaded from %s: %d items (%d updates applied, %d refused)",
                        topic, catalogue.size(), applied, skipped);
            }
        }
    }

    /**
     * Applies one record read by the items function's rules, or dead-letters it with the reason. The topic
     * is re-read from its start at every start, so a refused record is dead-lettered again each time (its
     * source offset header tells the copies apart from new refusals).
     */
    private void apply(ConsumerRecord<String, byte[]> r, long now) {
        Checked<ItemUpdate> u = records.itemUpdate(r.value(), now, r.timestamp());
        if (!u.ok()) {
            skipped++;
            deadLetters.refuse(r, u);
        } else if (r.key() != null && !r.key().equals(u.value().itemId())) {
            // Compaction keeps the newest record per key: a key other than the item id would keep a wrong one.
            skipped++;
            deadLetters.refuse(r, "key", "the record key must be the update's itemId (or absent)");
        } else if (catalogue.size() >= config.limits().maxCatalogueItems()
                && catalogue.get(u.value().itemId()).isEmpty()) {
            skipped++;
            deadLetters.refuse(r, "itemId", "a new item past the catalogue's limit of "
                    + config.limits().maxCatalogueItems() + " items (worker.limits.max-catalogue-items)");
        } else if (growsPastBudget(u.value())) {
            skipped++;
            deadLetters.refuse(r, "categories", "would grow the catalogue past its budget of "
                    + config.limits().maxCatalogueBytes() + " bytes (worker.limits.max-catalogue-bytes)");
        } else {
            try {
                catalogue.apply(u.value());
                applied++;
            } catch (RuntimeException e) {
                skipped++;
                deadLetters.refuse(r, "body", "could not be applied: " + e);
            }
        }
    }

    /** Whether applying {@code update} would take the catalogue past its bytes (one that does not grow it never does). */
    private boolean growsPastBudget(ItemUpdate update) {
        long growth = catalogue.growth(update);
        return growth > 0 && catalogue.bytes() + growth > config.limits().maxCatalogueBytes();
    }

    /** The topic's partitions, waiting while it does not exist yet (it is created on first publish). */
    private List<TopicPartition> partitions(String topic, BooleanSupplier running) {
        long warnAt = 0;
        while (running.getAsBoolean()) {
            List<TopicPartition> found = consumer.partitionsFor(topic, config.broker().adminTimeout()).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (!found.isEmpty()) {
                return found;
            }
            if (System.nanoTime() > warnAt) {
                LOG.warnf("topic %s does not exist yet; the worker is not ready until it does "
                        + "(worker.topics.create=true creates it)", topic);
                warnAt = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        return List.of();
    }

    /** True once everything on the topic at start has been applied, for as long as the consumer runs. */
    public boolean caughtUp() {
        return caughtUp;
    }

    public long applied() {
        return applied;
    }

    @PreDestroy
    void stop() {
        if (loop != null) {
            loop.stop();
        }
    }
}
