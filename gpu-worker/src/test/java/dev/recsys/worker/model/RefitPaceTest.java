package dev.recsys.worker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class RefitPaceTest {

    private final Timer waits = Timer.builder("waits").register(new SimpleMeterRegistry());

    @Test
    void aBatchStartsAtOnceWhileTrainingKeepsUp() {
        new RefitPace(() -> 300, Duration.ofMillis(300), Duration.ofSeconds(30), waits).beforeBatch();
        assertEquals(0, waits.count(), "a lag at the bound is no reason to wait");
    }

    @Test
    void aBatchWaitsUntilTrainingCatchesUp() {
        AtomicInteger asked = new AtomicInteger();
        // Behind for the first three looks, then caught up.
        new RefitPace(() -> asked.incrementAndGet() <= 3 ? 5_000 : 0, Duration.ofMillis(300), Duration.ofSeconds(30),
                waits).beforeBatch();
        assertEquals(4, asked.get());
        assertEquals(1, waits.count());
        assertTrue(waits.totalTime(TimeUnit.MILLISECONDS) >= 60, "three polls of 20 ms: " + waits.totalTime(TimeUnit.MILLISECONDS));
    }

    @Test
    void aBatchWaitsNoLongerThanTheBoundWhenTrainingNeverCatchesUp() {
        long start = System.nanoTime();
        new RefitPace(() -> Long.MAX_VALUE, Duration.ofMillis(300), Duration.ofMillis(200), waits).beforeBatch();
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(waited >= 200 && waited < 10_000, "waited " + waited + " ms");
    }

    @Test
    void anInterruptEndsTheWaitAndStaysOnTheThread() {
        Thread.currentThread().interrupt();
        try {
            new RefitPace(() -> Long.MAX_VALUE, Duration.ofMillis(300), Duration.ofMinutes(10), waits).beforeBatch();
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }
}
