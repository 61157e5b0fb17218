package dev.recsys.worker.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which partitions are held: their last stable offset has stood still for at least the bound while records
 * sat after it. A transaction left open by another producer does this; a busy log whose transactions commit
 * moves its stable offset all the time and is never held. Plain bookkeeping, fed by {@link FeedbackLogWatch}.
 */
public final class StalledPartitions {

    private final long boundNanos;
    /** Partitions with records after their stable offset: that offset, and since when it stood there. */
    private final Map<Integer, Standing> behind = new HashMap<>();

    private record Standing(long stableOffset, long sinceNanos) {
    }

    public StalledPartitions(Duration bound) {
        this.boundNanos = bound.toNanos();
    }

    /** One look at a partition: its last stable offset and its end (the high watermark). */
    public synchronized void observe(int partition, long stableOffset, long end, long nowNanos) {
        if (stableOffset >= end) {
            behind.remove(partition);
            return;
        }
        Standing s = behind.get(partition);
        if (s == null || s.stableOffset() != stableOffset) {
            behind.put(partition, new Standing(stableOffset, nowNanos));
        }
    }

    /** The held partitions, in order, with how long each has been held. */
    public synchronized Map<Integer, Duration> held(long nowNanos) {
        Map<Integer, Duration> out = new TreeMap<>();
        behind.forEach((p, s) -> {
            if (nowNanos - s.sinceNanos() >= boundNanos) {
                out.put(p, Duration.ofNanos(nowNanos - s.sinceNanos()));
            }
        });
        return out;
    }
}
