package dev.recsys.worker.model;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Timer;

import dev.recsys.core.sasrec.TrainingPace;

/**
 * A re-fit gives way to online training: before each batch it waits while the trainer lags the stream by more
 * than {@code behind} (its oldest event not yet taken, {@code OnlineTrainer.behindMillis}), up to
 * {@code maxWait} a batch. On shared cores the pass and the online steps
 * split the CPU; without this a pass of minutes doubled the time an event took to reach served weights.
 */
final class RefitPace implements TrainingPace {

    private static final long POLL_MILLIS = 20;

    private final LongSupplier lagMillis;
    private final long behindMillis;
    private final long maxWaitNanos;
    private final Timer waits;

    /** @param lagMillis how far online training lags the stream now, in ms */
    RefitPace(LongSupplier lagMillis, Duration behind, Duration maxWait, Timer waits) {
        this.lagMillis = lagMillis;
        this.behindMillis = behind.toMillis();
        this.maxWaitNanos = maxWait.toNanos();
        this.waits = waits;
    }

    @Override
    public void beforeBatch() {
        long start = System.nanoTime();
        try {
            while (lagMillis.getAsLong() > behindMillis
                    && System.nanoTime() - start < maxWaitNanos) {
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            long waited = System.nanoTime() - start;
            if (waited >= TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)) {
                waits.record(waited, TimeUnit.NANOSECONDS);
            }
        }
    }
}
