package dev.recsys.worker.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.recsys.worker.checkpoint.AppliedFeedback;

/**
 * Read-your-writes for one scoring batch: looks up where the feedback log ends now (one request to the
 * broker per batch, read-committed, so only what ingest has acknowledged) and waits, bounded, until the
 * worker has applied everything before it. An event acknowledged before a request was sent is then in the
 * history the answer reads. Used from the scoring thread only.
 * <p>
 * The lookups go through a consumer of their own that never fetches: the broker answers one connection's
 * requests in order, so on the scoring consumer's connection a lookup queued behind its long-polling fetch
 * and took fetch.max.wait.ms (measured: every wait about 500 ms; on its own connection 2 ms).
 */
final class FeedbackBarrier {

    private static final Logger LOG = Logger.getLogger(FeedbackBarrier.class);
    private static final long PARTITIONS_REFRESH_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Consumer<?, ?> consumer;
    private final String topic;
    private final AppliedFeedback applied;
    private final Duration bound;
    private final Timer waited;
    private final Counter expired;
    private final java.util.function.IntPredicate waitsFor;
    private List<TopicPartition> partitions = List.of();
    private long partitionsAt;

    /** @param consumer read-committed, used for nothing else, owned by this barrier */
    /** @param waitsFor the partitions whose users this worker answers (a shard's own; else all) */
    FeedbackBarrier(Consumer<?, ?> consumer, String topic, AppliedFeedback applied, Duration bound,
            MeterRegistry registry, java.util.function.IntPredicate waitsFor) {
        this.waitsFor = waitsFor;
        this.consumer = consumer;
        this.topic = topic;
        this.applied = applied;
        this.bound = bound;
        this.waited = Timer.builder("worker.score.feedback.wait")
                .description("how long a scoring batch waited for the feedback accepted before it (read-your-writes)")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.expired = Counter.builder("worker.score.feedback.wait.expired")
                .description("scoring batches answered before the feedback accepted before them was applied")
                .register(registry);
    }

    /** True when everything accepted before now is applied; false when the bound ran out (or no end was known). */
    boolean await() {
        if (bound.isZero()) {
            return true;
        }
        long start = System.nanoTime();
        boolean current = false;
        try {
            refreshPartitions(start);
            Map<Integer, Long> ends = new HashMap<>();
            List<TopicPartition> mine = partitions.stream().filter(tp -> waitsFor.test(tp.partition())).toList();
            consumer.endOffsets(mine, bound).forEach((tp, end) -> ends.put(tp.partition(), end));
            long left = bound.toNanos() - (System.nanoTime() - start);
            current = applied.awaitApplied(ends, left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The broker did not say where the log ends in time: answer now, marked as possibly behind.
            LOG.debugf("feedback end offsets not known: %s", e.toString());
        }
        waited.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        if (!current) {
            expired.increment();
        }
        return current;
    }

    private void refreshPartitions(long now) {
        if (partitions.isEmpty() || now - partitionsAt > PARTITIONS_REFRESH_NANOS) {
            partitions = consumer.partitionsFor(topic, bound).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            partitionsAt = now;
        }
    }
}
