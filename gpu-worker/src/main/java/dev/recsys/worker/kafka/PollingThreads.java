package dev.recsys.worker.kafka;

import org.apache.kafka.clients.consumer.Consumer;

/** Stopping a thread that loops on a Kafka consumer's poll: wake the poll, then wait, bounded, for the loop to end. */
final class PollingThreads {

    private PollingThreads() {
    }

    /** @param consumer and {@code thread} may be null (never started); the loop must have seen its stop flag */
    static void stop(Consumer<?, ?> consumer, Thread thread) {
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
