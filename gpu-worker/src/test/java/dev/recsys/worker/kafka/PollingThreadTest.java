package dev.recsys.worker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.recsys.worker.WorkerThreads;

/** The poll loops' life: a loop that throws is reported dead (liveness DOWN); one that is stopped is not. */
class PollingThreadTest {

    @Test
    void aLoopThatThrowsIsReportedDeadAndFinishes() throws Exception {
        WorkerThreads threads = new WorkerThreads();
        CountDownLatch finished = new CountDownLatch(1);
        PollingThread loop = PollingThread.start("test-loop", consumer(), threads, true, running -> {
            throw new IllegalStateException("broken record handling");
        }, finished::countDown);
        assertTrue(finished.await(10, TimeUnit.SECONDS));
        assertEquals(Map.of("test-loop", "java.lang.IllegalStateException: broken record handling"), threads.dead());
        // the finish hook runs on the thread, so the thread may still be alive for a moment after the latch
        assertTrue(endsWithin(loop, 5), "the thread ended");
    }

    @Test
    void aStoppedLoopEndsWithinTheBoundAndIsNotDead() throws Exception {
        WorkerThreads threads = new WorkerThreads();
        MockConsumer<String, byte[]> consumer = consumer();
        CountDownLatch polling = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        PollingThread loop = PollingThread.start("test-loop", consumer, threads, true, running -> {
            while (running.getAsBoolean()) {
                polling.countDown();
                consumer.poll(Duration.ofSeconds(30));
            }
        }, finished::countDown);
        assertTrue(polling.await(10, TimeUnit.SECONDS));
        assertTrue(loop.alive());
        long t0 = System.nanoTime();
        loop.stop();
        assertTrue(finished.await(1, TimeUnit.SECONDS), "the loop ended after stop");
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "stopped within the bound");
        assertEquals(Map.of(), threads.dead());
        assertFalse(loop.alive(), "stopped, so not alive whether or not the thread has ended");
    }

    private static boolean endsWithin(PollingThread loop, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (loop.alive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return !loop.alive();
    }

    private static MockConsumer<String, byte[]> consumer() {
        MockConsumer<String, byte[]> consumer = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
        TopicPartition p = new TopicPartition("t", 0);
        consumer.assign(List.of(p));
        consumer.updateBeginningOffsets(Map.of(p, 0L));
        return consumer;
    }
}
