package dev.recsys.worker.kafka;

import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.errors.WakeupException;

import dev.recsys.worker.WorkerThreads;

/**
 * A worker thread looping on a Kafka consumer's poll. Stopping wakes the poll and waits, bounded, for the loop
 * to end; a loop that throws anything else has died, and {@link WorkerThreads} turns liveness DOWN so that the
 * worker is restarted rather than left answering HTTP without it.
 */
public final class PollingThread {

    /** The loop's body: it runs while {@code running} says so, and returns or throws to end. */
    public interface Loop {
        void run(BooleanSupplier running);
    }

    private final Consumer<?, ?> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    private PollingThread(String name, Consumer<?, ?> consumer, WorkerThreads threads, Loop loop, Runnable finish) {
        this.consumer = consumer;
        this.thread = new Thread(() -> {
            try {
                loop.run(() -> running);
            } catch (WakeupException e) {
                // stop() woke the poll
            } catch (RuntimeException | Error e) {
                threads.died(name, e);
            } finally {
                finish.run();
            }
        }, name);
    }

    /** @param finish runs on the thread after the loop, however it ended (closing the consumer, say) */
    public static PollingThread start(String name, Consumer<?, ?> consumer, WorkerThreads threads, boolean daemon, Loop loop,
            Runnable finish) {
        PollingThread polling = new PollingThread(name, consumer, threads, loop, finish);
        polling.thread.setDaemon(daemon);
        polling.thread.start();
        return polling;
    }

    /** Still looping: not stopped and the thread has not ended. */
    public boolean alive() {
        return running && thread.isAlive();
    }

    public void stop() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
