package dev.recsys.worker.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

import dev.recsys.worker.config.WorkerConfig;

/**
 * Watches the feedback log for partitions held by an open transaction: every second it asks each partition's
 * last stable offset and end ({@link StalledPartitions}). A held partition is one whose events no
 * read_committed reader (this worker included) can read, and which ingest refuses (503) while it lasts, so
 * readiness ({@code feedback-log}, health.FeedbackLogHealth) is DOWN with the partitions and how long they
 * have been held, and {@code worker_feedback_stalled_partitions} counts them for the alarm.
 */
@ApplicationScoped
public class FeedbackLogWatch {

    private static final Logger LOG = Logger.getLogger(FeedbackLogWatch.class);
    private static final Duration EVERY = Duration.ofSeconds(1);

    @Inject
    KafkaClients clients;

    @Inject
    WorkerConfig config;

    @Inject
    MeterRegistry registry;

    private StalledPartitions stalled;
    /** Every feedback partition, asked for its latest offsets; found on the first look. */
    private Map<TopicPartition, OffsetSpec> latest;
    private volatile boolean running;
    private Thread thread;
    private Gauge gauge;

    void start(@Observes StartupEvent event) {
        stalled = new StalledPartitions(config.feedbackStallBound());
        gauge = Gauge.builder("worker.feedback.stalled.partitions", this, w -> w.held().size())
                .description("feedback partitions whose last stable offset has stood still past "
                        + "worker.feedback-stall-bound with records after it (an open transaction holds them)")
                .strongReference(true).register(registry);
        running = true;
        thread = new Thread(this::run, "feedback-log-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        int timeout = (int) config.broker().adminTimeout().toMillis();
        long warnedAt = 0;
        try (Admin admin = Admin.create(clients.config(Map.of(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout)))) {
            while (running) {
                try {
                    look(admin, timeout);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                        | RuntimeException e) {
                    // The broker is down or the topic missing: other checks say so; this one keeps what it saw.
                    if (System.nanoTime() - warnedAt > Duration.ofMinutes(1).toNanos()) {
                        LOG.debugf("feedback log watch could not ask the stable offsets: %s", e.toString());
                        warnedAt = System.nanoTime();
                    }
                }
                Thread.sleep(EVERY.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void look(Admin admin, int timeoutMs) throws InterruptedException,
            java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
        if (latest == null) {
            // The partitions once: a topic's partition count does not change under a running worker.
            String topic = config.feedbackTopic();
            var description = admin.describeTopics(java.util.List.of(topic)).allTopicNames()
                    .get(timeoutMs, TimeUnit.MILLISECONDS).get(topic);
            Map<TopicPartition, OffsetSpec> all = new HashMap<>();
            description.partitions().forEach(p -> all.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            latest = all;
        }
        var stable = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(timeoutMs, TimeUnit.MILLISECONDS);
        var end = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all()
                .get(timeoutMs, TimeUnit.MILLISECONDS);
        long now = System.nanoTime();
        stable.forEach((tp, info) -> stalled.observe(tp.partition(), info.offset(), end.get(tp).offset(), now));
    }

    /** The held partitions and for how long. */
    public Map<Integer, Duration> held() {
        return stalled == null ? Map.of() : stalled.held(System.nanoTime());
    }

    @PreDestroy
    void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
        if (gauge != null) {
            registry.remove(gauge);
        }
    }
}
