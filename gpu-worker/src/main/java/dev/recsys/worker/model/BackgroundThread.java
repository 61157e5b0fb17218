package dev.recsys.worker.model;

import java.time.Duration;

/** A daemon thread for a worker's background job, and stopping it within a bound at shutdown. */
public final class BackgroundThread {

    private static final Duration JOIN = Duration.ofSeconds(10);

    private BackgroundThread() {
    }

    public static Thread start(String name, Runnable job) {
        Thread thread = new Thread(job, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Interrupts {@code thread} (null: never started) and waits up to 10 s for it to end. */
    public static void stop(Thread thread) {
        if (thread == null) {
            return;
        }
        thread.interrupt();
        try {
            thread.join(JOIN.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
