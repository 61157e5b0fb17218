package dev.recsys.worker.checkpoint;

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
public class AppliedFeedback {

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Integer, Long> nextOffsets = new TreeMap<>();
    private long events;

    /** Runs {@code apply} (one batch) with the lock held; checkpoints wait meanwhile. */
    public void applying(Runnable apply) {
        lock.lock();
        try {
            apply.run();
        } finally {
            lock.unlock();
        }
    }

    /** Called inside {@link #applying}: the record at {@code offset} of {@code partition} is in the state. */
    public void advance(int partition, long offset, boolean counted) {
        nextOffsets.put(partition, offset + 1);
        if (counted) {
            events++;
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
