package dev.recsys.worker.model;

import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Which feedback events the worker's state holds: per partition, the offset of the next event to apply,
 * and how many have been applied in all. The consumer applies a batch and advances these under one lock;
 * a checkpoint copies the state under the same lock, so the offsets it stores name exactly the events in it.
 */
@ApplicationScoped
public class FeedbackPosition {

    private final ReentrantLock lock = new ReentrantLock();
    private final java.util.concurrent.locks.Condition advanced = lock.newCondition();
    private final Map<Integer, Long> nextOffsets = new TreeMap<>();
    /** Per partition, how far the consumer has read, control records (transaction markers) included. */
    private final Map<Integer, Long> readTo = new TreeMap<>();
    private long events;
    /** Per partition, the offset up to which the popularity and item tables hold events (a shard's, from a checkpoint). */
    private Map<Integer, Long> aggregatesCover = Map.of();
    /** The feedback topic's partition count as the consumer last saw it; 0 before its first assignment. */
    private volatile int partitions;

    /** Runs {@code apply} (one batch) with the lock held; checkpoints wait meanwhile. */
    public void applying(Runnable apply) {
        lock.lock();
        try {
            apply.run();
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Called inside {@link #applying}: the consumer's position after the batch in {@code partition}, which
     * counts the transaction markers after the batch's last record too.
     */
    public void readTo(int partition, long position) {
        readTo.merge(partition, position, Math::max);
    }

    /**
     * Waits until every event before {@code ends} (per partition: the log's end as a read-committed reader saw
     * it) is applied, or until {@code timeoutNanos} have passed.
     * <p>
     * A partition counts as caught up when the consumer has read to its end, or to one before it: ingest
     * publishes in transactions, so the last offset before a read-committed end is the commit marker, which
     * a consumer sometimes reads only with the next batch. (A record written without a transaction by another
     * producer may then be the one not waited for; ingest's are always covered.)
     *
     * @return false when the time ran out first
     */
    public boolean awaitApplied(Map<Integer, Long> ends, long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            long left = timeoutNanos;
            while (!caughtUp(ends)) {
                if (left <= 0) {
                    return false;
                }
                left = advanced.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private boolean caughtUp(Map<Integer, Long> ends) {
        for (var e : ends.entrySet()) {
            long at = Math.max(readTo.getOrDefault(e.getKey(), 0L), nextOffsets.getOrDefault(e.getKey(), 0L));
            if (at < e.getValue() - 1) {
                return false;
            }
        }
        return true;
    }

    /** Called inside {@link #applying}: the record at {@code offset} of {@code partition} is in the state. */
    public void advance(int partition, long offset, boolean counted) {
        nextOffsets.put(partition, offset + 1);
        if (counted) {
            events++;
        }
    }

    /**
     * Called inside {@link #applying}: whether the record at {@code offset} is in the state already (a record
     * fetched before a rebalance moved the position back, delivered after it).
     */
    public boolean holds(int partition, long offset) {
        Long next = nextOffsets.get(partition);
        return next != null && offset < next;
    }

    /**
     * Called inside {@link #applying}, or before consuming starts: the popularity and item tables were just
     * replaced by a checkpoint's, which hold every event before {@code nextOffsets} (a serving shard's tables
     * follow the trainer's).
     */
    public void aggregatesCover(Map<Integer, Long> nextOffsets) {
        aggregatesCover = Map.copyOf(nextOffsets);
    }

    /**
     * Called inside {@link #applying}: whether the record at {@code offset} is in the popularity and item
     * tables already, so that applying it must change the user's history only.
     */
    public boolean aggregatesHold(int partition, long offset) {
        Long cover = aggregatesCover.get(partition);
        return cover != null && offset < cover;
    }

    /**
     * A serving shard taking over {@code partition}: its state for the partition is now the checkpoint's, whose
     * next offset is {@code next} (empty: nothing of the partition, start from the log's beginning).
     */
    public void takeOver(int partition, OptionalLong next) {
        lock.lock();
        try {
            readTo.remove(partition);
            if (next.isPresent()) {
                nextOffsets.put(partition, next.getAsLong());
            } else {
                nextOffsets.remove(partition);
            }
        } finally {
            lock.unlock();
        }
    }

    /** A serving shard handing {@code partition} over: nothing of it is held any more. */
    public void handOver(int partition) {
        lock.lock();
        try {
            readTo.remove(partition);
            nextOffsets.remove(partition);
        } finally {
            lock.unlock();
        }
    }

    /** Whether everything of {@code partition} before {@code end} is applied (the rule of {@link #awaitApplied}). */
    public boolean reached(int partition, long end) {
        lock.lock();
        try {
            return caughtUp(Map.of(partition, end));
        } finally {
            lock.unlock();
        }
    }

    /** A consistent copy of the state (made by {@code copy}) with the offsets and count that go with it. */
    public <T> Cut<T> cut(Supplier<T> copy) {
        lock.lock();
        try {
            long start = System.nanoTime();
            T state = copy.get();
            return new Cut<>(state, Map.copyOf(nextOffsets), events, System.nanoTime() - start);
        } finally {
            lock.unlock();
        }
    }

    /** Takes up a checkpoint's position; before consuming starts. */
    public void restore(Map<Integer, Long> offsets, long eventsApplied) {
        lock.lock();
        try {
            nextOffsets.clear();
            nextOffsets.putAll(offsets);
            events = eventsApplied;
        } finally {
            lock.unlock();
        }
    }

    /** Where consuming must resume in {@code partition}, or empty to start from its beginning. */
    public OptionalLong nextOffset(int partition) {
        lock.lock();
        try {
            Long next = nextOffsets.get(partition);
            return next == null ? OptionalLong.empty() : OptionalLong.of(next);
        } finally {
            lock.unlock();
        }
    }

    /** The consumer was assigned partitions of a topic that has {@code count} of them. */
    public void partitionCount(int count) {
        partitions = count;
    }

    /** The feedback topic's partition count, 0 before the consumer's first assignment. */
    public int partitionCount() {
        return partitions;
    }

    public long events() {
        lock.lock();
        try {
            return events;
        } finally {
            lock.unlock();
        }
    }

    /** @param pauseNanos how long consuming waited while the copy was made */
    public record Cut<T>(T state, Map<Integer, Long> nextOffsets, long events, long pauseNanos) {
    }
}
