package dev.recsys.worker.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue;
import io.smallrye.reactive.messaging.kafka.reply.KafkaRequestReply;

import dev.recsys.wire.ForgetUser;
import dev.recsys.wire.validation.Checked;
import dev.recsys.wire.validation.Printable;
import dev.recsys.wire.validation.TopicRecords;
import dev.recsys.worker.config.WorkerConfig;

/**
 * Where the worker puts every record it refuses: {@code <topic>-dlq}, with the original key, value and
 * headers, plus headers saying why and where it came from (the names SmallRye's dead-letter-queue strategy
 * uses, so the same tools read both). Counted per source topic and field in {@code worker_dead_letters_total},
 * the field from a closed set ({@link #label}): never a name a client chose. Logged at most
 * {@link #LOGGED_PER_MINUTE} times a minute per topic and field, with the client's parts escaped.
 * <p>
 * A producer of its own rather than SmallRye's strategy: the strategy dead-letters a whole message, and the
 * worker reads batches, where one bad record must not take the others with it.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup // a producer that cannot be made fails the start, not the first refusal
public class DeadLetters implements dev.recsys.worker.checkpoint.RefusedRecords {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    /** Why, in words: the first problems, each as {@code field: reason}. */
    public static final String REASON = KafkaDeadLetterQueue.DEAD_LETTER_REASON;
    /** The first problem's field ({@code body} when the record as a whole is wrong). */
    public static final String FIELD = "dead-letter-field";
    public static final String TOPIC = KafkaDeadLetterQueue.DEAD_LETTER_TOPIC;
    public static final String PARTITION = KafkaDeadLetterQueue.DEAD_LETTER_PARTITION;
    public static final String OFFSET = KafkaDeadLetterQueue.DEAD_LETTER_OFFSET;

    /** Refusals logged per topic and field a minute; the rest are counted in the metric only. */
    static final int LOGGED_PER_MINUTE = 10;
    /** Fields a refusal is counted under besides the records' own: the key, the record type and reply headers. */
    private static final Set<String> OTHER_FIELDS = Set.of("key", ForgetUser.HEADER,
            "header " + KafkaRequestReply.DEFAULT_REPLY_TOPIC_HEADER,
            "header " + KafkaRequestReply.DEFAULT_REPLY_PARTITION_HEADER,
            "header " + KafkaRequestReply.DEFAULT_REPLY_CORRELATION_ID_HEADER);
    static final String UNKNOWN = "unknown";

    private final KafkaProducer<byte[], byte[]> producer;
    private final String suffix;
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, LogBudget> logged = new ConcurrentHashMap<>();
    private final Counter failed;

    @Inject
    public DeadLetters(WorkerConfig config, KafkaClients clients, MeterRegistry registry) {
        this.suffix = config.records().deadLetterSuffix();
        this.registry = registry;
        this.failed = Counter.builder("worker.dead.letters.failed")
                .description("refused records that could not be written to their dead-letter topic (logged)")
                .register(registry);
        long delivery = config.broker().deadLetterDelivery().toMillis();
        this.producer = new KafkaProducer<>(clients.config(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                // The threads that refuse records are the ones reading them: never block them for long.
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) config.broker().deadLetterMaxBlock().toMillis(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) delivery / 3,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) delivery)),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends {@code record} (read with a String or byte[] key) to its dead-letter topic, with {@code why}. */
    public void refuse(ConsumerRecord<?, byte[]> record, Checked<?> why) {
        send(record, why.field(), why.reason());
    }

    /** Sends {@code record} to its dead-letter topic for one problem: {@code field: reason}. */
    public void refuse(ConsumerRecord<?, byte[]> record, String field, String reason) {
        send(record, field, field + ": " + reason);
    }

    private void send(ConsumerRecord<?, byte[]> record, String field, String reason) {
        // The topic is one this worker subscribed to; the field is reduced to the closed set.
        String label = label(field);
        String series = record.topic() + "|" + label;
        counters.computeIfAbsent(series, k -> Counter.builder("worker.dead.letters")
                .description("records refused and sent to a dead-letter topic")
                .tag("topic", record.topic()).tag("field", label).register(registry)).increment();
        RecordHeaders headers = new RecordHeaders();
        for (Header h : record.headers()) {
            headers.add(h);
        }
        headers.add(REASON, utf8(reason));
        headers.add(FIELD, utf8(field));
        headers.add(TOPIC, utf8(record.topic()));
        headers.add(PARTITION, utf8(Integer.toString(record.partition())));
        headers.add(OFFSET, utf8(Long.toString(record.offset())));
        Object k = record.key();
        byte[] key = k == null ? null : k instanceof byte[] b ? b : utf8(k.toString());
        String target = record.topic() + suffix;
        long suppressed = logged.computeIfAbsent(series, s -> new LogBudget()).take(System.currentTimeMillis());
        if (suppressed >= 0) {
            LOG.warnf("refused the record at %s-%d@%d (to %s): %s%s", record.topic(), record.partition(),
                    record.offset(), target, Printable.of(reason, 400),
                    suppressed > 0 ? " (" + suppressed + " more refusals of this kind not logged since the last line)" : "");
        }
        try {
            producer.send(new ProducerRecord<>(target, null, record.timestamp(), key, record.value(), headers),
                    (m, e) -> {
                        if (e != null) {
                            failed.increment();
                            LOG.errorf("a refused record from %s-%d@%d could not be dead-lettered: %s",
                                    record.topic(), record.partition(), record.offset(), e.toString());
                        }
                    });
        } catch (RuntimeException e) {
            failed.increment();
            LOG.errorf("a refused record from %s-%d@%d could not be dead-lettered: %s", record.topic(),
                    record.partition(), record.offset(), e.toString());
        }
    }

    /**
     * Waits, at most {@code atMost}, until what was refused so far has been sent (or has failed, which is
     * logged and counted); false if that took longer.
     */
    @Override
    public boolean flush(Duration atMost) {
        var done = java.util.concurrent.CompletableFuture.runAsync(producer::flush);
        try {
            done.get(atMost.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            LOG.warnf("dead letters not confirmed within %s: %s", atMost, e.toString());
            return false;
        }
    }

    /**
     * The metric label for a refusal's field: one of the records' fields (an element's index dropped:
     * {@code categories[3]} counts as {@code categories}) or the worker's own, else "unknown".
     */
    static String label(String field) {
        if (field == null) {
            return UNKNOWN;
        }
        String name = field.replaceFirst("\\[[0-9]{1,9}]$", "");
        return TopicRecords.FIELDS.contains(name) || OTHER_FIELDS.contains(name) ? name : UNKNOWN;
    }

    /** At most {@link #LOGGED_PER_MINUTE} lines a minute for one kind of refusal. */
    static final class LogBudget {
        private long minute = Long.MIN_VALUE;
        private int used;
        private long suppressed;

        /** -1 when this refusal is not to be logged; else how many were not logged since the last one that was. */
        synchronized long take(long now) {
            long m = now / 60_000;
            if (m != minute) {
                minute = m;
                used = 0;
            }
            if (used >= LOGGED_PER_MINUTE) {
                suppressed++;
                return -1;
            }
            used++;
            long before = suppressed;
            suppressed = 0;
            return before;
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
