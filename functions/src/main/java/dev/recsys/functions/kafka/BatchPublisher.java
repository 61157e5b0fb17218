package dev.recsys.functions.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.jboss.logging.Logger;

/**
 * Publishes batches (feedback events to {@code feedback}, item updates to {@code items}) atomically: each
 * batch is all in or all out, and a batch counts as published only once the broker has committed it and
 * read_committed consumers can read it ({@link CommitVisibility}).
 * <p>
 * One thread owns a transactional producer. Batches that arrive while a transaction commits wait and go
 * together into the next one (group commit), so concurrent callers share the commit's round trips. A
 * transaction that fails before its commit is aborted and every batch in it fails; nothing of it becomes
 * visible to read_committed consumers. One whose commit fails has an unknown outcome, and says so.
 */
public final class BatchPublisher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BatchPublisher.class);

    private final Map<String, Object> producerConfig;
    private final int maxQueuedEvents;
    private final int maxEventsPerTransaction;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger queuedEvents = new AtomicInteger();
    private final Thread loop;
    private final CommitVisibility visibility;
    private volatile boolean running = true;

    // Owned by the loop thread.
    private KafkaProducer<String, byte[]> producer;

    /** @param kafkaDefaults the application's kafka.* settings (security for MSK among them); ours win */
    public BatchPublisher(Map<String, Object> kafkaDefaults, String bootstrapServers,
            Duration brokerTimeout, int maxQueuedEvents, int maxEventsPerTransaction) {
        this.maxQueuedEvents = maxQueuedEvents;
        this.maxEventsPerTransaction = maxEventsPerTransaction;
        int timeoutMs = (int) brokerTimeout.toMillis();
        Map<String, Object> own = Map.ofEntries(
                Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                Map.entry(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "feedback-ingest-" + UUID.randomUUID()),
                Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
                Map.entry(ProducerConfig.LINGER_MS_CONFIG, 0),
                Map.entry(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024),
                // Every blocking call (init, send's metadata wait, commit, abort) gives up after this.
                Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs),
                Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs),
                Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs + 500),
                Map.entry(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Math.max(10_000, 4 * timeoutMs)),
                Map.entry(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000));
        Map<String, Object> merged = new java.util.HashMap<>(kafkaDefaults);
        merged.putAll(own);
        this.producerConfig = Map.copyOf(merged);
        this.visibility = new CommitVisibility(kafkaDefaults, bootstrapServers, brokerTimeout);
        this.loop = new Thread(this::run, "batch-publisher");
        this.loop.setDaemon(true);
        this.loop.start();
    }

    /**
     * Queues a batch for the next transaction. The future completes when the transaction holding it is
     * committed, or fails with {@link PublishFailedException} when it is aborted or cannot be queued.
     */
    public CompletableFuture<Void> publish(List<ProducerRecord<String, byte[]>> records) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (queuedEvents.addAndGet(records.size()) > maxQueuedEvents) {
            queuedEvents.addAndGet(-records.size());
            done.completeExceptionally(new PublishFailedException("ingest is overloaded: "
                    + maxQueuedEvents + " records already wait to be published", null));
            return done;
        }
        queue.add(new Pending(records, done));
        return done;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (running) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                int events = first.records.size();
                Pending next;
                while (events < maxEventsPerTransaction && (next = queue.poll()) != null) {
                    batch.add(next);
                    events += next.records.size();
                }
                queuedEvents.addAndGet(-events);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
        closeProducer(Duration.ofSeconds(5));
        visibility.close();
        Pending p;
        while ((p = queue.poll()) != null) {
            p.done.completeExceptionally(new PublishFailedException("ingest is shutting down", null));
        }
    }

    private void commit(List<Pending> all) {
        List<Pending> batch = withoutHeldPartitions(all);
        if (batch.isEmpty()) {
            return;
        }
        boolean committing = false;
        try {
            KafkaProducer<String, byte[]> p = producer();
            p.beginTransaction();
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (Pending pending : batch) {
                for (ProducerRecord<String, byte[]> r : pending.records) {
                    sent.add(p.send(r));
                }
            }
            committing = true;
            // Flushes every send and fails if any of them failed, so the batch is all or nothing.
            p.commitTransaction();
            Set<TopicPartition> unreadable = awaitReadable(sent);
            for (Pending pending : batch) {
                Set<TopicPartition> mine = partitions(pending, p);
                mine.retainAll(unreadable);
                if (mine.isEmpty()) {
                    pending.done.complete(null);
                } else {
                    pending.done.completeExceptionally(new PublishFailedException("committed, but not readable: "
                            + describe(mine) + " held by another producer's open transaction (its last stable offset "
                            + "did not move); the events are applied once it ends", null, Outcome.COMMITTED));
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("transaction of %d batches failed: %s", batch.size(), e.toString());
            abort();
            String cause = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            // A commit that failed (timed out, say) may have reached the coordinator all the same, and the
            // producer that replaces this one completes whatever the coordinator had prepared.
            PublishFailedException failure = committing
                    ? new PublishFailedException("the broker did not confirm the commit: " + cause, e, true)
                    : new PublishFailedException("the broker did not accept the batch: " + cause, e, false);
            for (Pending pending : batch) {
                pending.done.completeExceptionally(failure);
            }
        }
    }

    /**
     * Refuses, before anything is sent, the batches with a record for a partition found held by another
     * producer's open transaction whose stable offset has not moved since: their events could not be read.
     */
    private List<Pending> withoutHeldPartitions(List<Pending> batch) {
        if (!visibility.anyStalled()) {
            return batch;
        }
        List<Pending> go = new ArrayList<>();
        try {
            KafkaProducer<String, byte[]> p = producer();
            Set<TopicPartition> targets = new HashSet<>();
            batch.forEach(pending -> targets.addAll(partitions(pending, p)));
            Set<TopicPartition> held = visibility.stalledAmong(targets);
            for (Pending pending : batch) {
                Set<TopicPartition> mine = partitions(pending, p);
                mine.retainAll(held);
                if (mine.isEmpty()) {
                    go.add(pending);
                } else {
                    pending.done.completeExceptionally(new PublishFailedException(describe(mine)
                            + " held by another producer's open transaction (its last stable offset has not moved): "
                            + "events sent now could not be read until it ends", null, Outcome.NOT_PUBLISHED));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return batch;
        } catch (RuntimeException e) {
            // Cannot tell (the producer or its metadata failed): let the transaction find out.
            return batch;
        }
        return go;
    }

    /** The partitions a batch's records go to, as the producer's default partitioner places keyed records. */
    private static Set<TopicPartition> partitions(Pending pending, KafkaProducer<String, byte[]> p) {
        Set<TopicPartition> out = new HashSet<>();
        for (ProducerRecord<String, byte[]> r : pending.records) {
            if (r.partition() != null) {
                out.add(new TopicPartition(r.topic(), r.partition()));
            } else if (r.key() != null) {
                int n = p.partitionsFor(r.topic()).size();
                byte[] key = r.key().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.add(new TopicPartition(r.topic(), Utils.toPositive(Utils.murmur2(key)) % n));
            }
        }
        return out;
    }

    private static String describe(Set<TopicPartition> partitions) {
        return (partitions.size() == 1 ? "partition " : "partitions ")
                + partitions.stream().map(TopicPartition::toString).sorted().toList();
    }

    /** Holds the answer until consumers can read the committed records; the partitions that stayed unreadable. */
    private Set<TopicPartition> awaitReadable(List<Future<RecordMetadata>> sent) {
        try {
            Set<TopicPartition> unreadable = visibility.await(sent);
            if (!unreadable.isEmpty()) {
                LOG.warnf("a committed transaction was not readable within the broker timeout on %s",
                        describe(unreadable));
            }
            return unreadable;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RuntimeException e) {
            LOG.warnf("could not check that a committed transaction is readable: %s", e.toString());
        }
        return Set.of();
    }

    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            KafkaProducer<String, byte[]> p = new KafkaProducer<>(producerConfig, new StringSerializer(),
                    new ByteArraySerializer());
            try {
                p.initTransactions();
            } catch (RuntimeException e) {
                p.close(Duration.ZERO);
                throw e;
            }
            producer = p;
        }
        return producer;
    }

    /** Aborts the open transaction; a producer that cannot abort is dropped and the next batch starts anew. */
    private void abort() {
        if (producer == null) {
            return;
        }
        try {
            producer.abortTransaction();
        } catch (RuntimeException e) {
            // A new producer with the same transactional id fences this one and aborts what it left open.
            closeProducer(Duration.ZERO);
        }
    }

    private void closeProducer(Duration timeout) {
        if (producer != null) {
            try {
                producer.close(timeout);
            } catch (RuntimeException e) {
                LOG.debug("closing the feedback producer failed", e);
            }
            producer = null;
        }
    }

    @Override
    public void close() {
        // The loop finishes the transaction in flight, then fails whatever still waits.
        running = false;
        try {
            loop.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Pending(List<ProducerRecord<String, byte[]>> records, CompletableFuture<Void> done) {
    }

    /** What a failed batch's caller can know of it: in every case it may retry it with the same event ids. */
    public enum Outcome {
        /** Nothing of it was published. */
        NOT_PUBLISHED,
        /** The commit may or may not have happened. */
        UNKNOWN,
        /** Committed, but not readable yet: consumers will read it once the log's open transaction ends. */
        COMMITTED
    }

    public static final class PublishFailedException extends RuntimeException {

        private final Outcome outcome;

        PublishFailedException(String message, Throwable cause) {
            this(message, cause, Outcome.NOT_PUBLISHED);
        }

        PublishFailedException(String message, Throwable cause, boolean outcomeUnknown) {
            this(message, cause, outcomeUnknown ? Outcome.UNKNOWN : Outcome.NOT_PUBLISHED);
        }

        PublishFailedException(String message, Throwable cause, Outcome outcome) {
            super(message, cause);
            this.outcome = outcome;
        }

        public Outcome outcome() {
            return outcome;
        }
    }
}
