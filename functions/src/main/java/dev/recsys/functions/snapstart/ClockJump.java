package dev.recsys.functions.snapstart;

import java.util.function.LongSupplier;

/**
 * Notices that the process was frozen and thawed (a SnapStart or CRaC restore): the wall clock then moves on by
 * the whole time in the snapshot while the monotonic clock, which the JVM keeps continuous across a restore,
 * barely moves. A restore hook says the same when the runtime calls it; this catches the case where it does not.
 */
final class ClockJump {

    private final LongSupplier wallMillis;
    private final LongSupplier monotonicNanos;
    private final long thresholdMillis;
    private long offset;

    ClockJump(LongSupplier wallMillis, LongSupplier monotonicNanos, long thresholdMillis) {
        this.wallMillis = wallMillis;
        this.monotonicNanos = monotonicNanos;
        this.thresholdMillis = thresholdMillis;
        this.offset = offsetNow();
    }

    /** Whether the wall clock ran ahead of the monotonic one by more than the threshold since the last call. */
    synchronized boolean jumped() {
        long now = offsetNow();
        boolean jumped = now - offset > thresholdMillis;
        offset = now;
        return jumped;
    }

    private long offsetNow() {
        return wallMillis.getAsLong() - monotonicNanos.getAsLong() / 1_000_000L;
    }
}
