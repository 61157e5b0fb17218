package dev.recsys.worker.kafka;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.recsys.core.recommender.FeedbackAdmission;
import dev.recsys.wire.FeedbackEvent;
import dev.recsys.wire.ForgetUser;
import dev.recsys.wire.validation.Checked;
import dev.recsys.wire.validation.TopicRecords;
import dev.recsys.worker.WorkerThreads;
import dev.recsys.worker.config.WorkerConfig;
import dev.recsys.worker.model.FeedbackPosition;
import dev.recsys.worker.model.WorkerModel;
import dev.recsys.worker.shard.ShardOwnership;
import dev.recsys.worker.model.UserPartitions;

/**
 * Applies each batch polled from {@code feedback} to the worker's state. Values arrive as raw bytes and are
 * read by the same rules the ingest function applies ({@link TopicRecords}); what a decoded event does is
 * {@link FeedbackAdmission}'s to decide. A record that breaks a rule, or that the state refuses, goes to the
 * dead-letter topic with its reason and the rest of the batch goes on. The record timestamp is when it was
 * published, which is what freshness is measured from.
 */
@ApplicationScoped
public class FeedbackConsumer {

    private static final Logger LOG = Logger.getLogger(FeedbackConsumer.class);

    private final FeedbackAdmission admission;
    private final FeedbackPosition position;
    private final DeadLetters deadLetters;
    private final WorkerThreads threads;
    private final TopicRecords records;
    private final ShardOwnership shard;
    private final dev.recsys.worker.model.ServedQuality quality;
    private final Counter applied;
    private final Counter refused;
    private final Counter duplicates;
    private final Counter forgets;

    @Inject
    public FeedbackConsumer(WorkerModel model, FeedbackPosition position, DeadLetters deadLetters,
            WorkerThreads threads, WorkerConfig config, ShardOwnership shard, MeterRegistry registry,
            dev.recsys.worker.model.ServedQuality quality) {
        this.shard = shard;
        this.quality = quality;
        this.admission = new FeedbackAdmission(model.recommender(), model.state().eventIds(),
                model.state().forgotten(), config.limits().maxItems());
        this.position = position;
        this.deadLetters = deadLetters;
        this.threads = threads;
        this.records = new TopicRecords(config.records().limits());
        this.applied = Counter.builder("worker.feedback.events").tag("outcome", "consumed")
                .description("feedback records consumed").register(registry);
        this.refused = Counter.builder("worker.feedback.events").tag("outcome", "refused")
                .description("feedback records consumed").register(registry);
        this.duplicates = Counter.builder("worker.feedback.events").tag("outcome", "duplicate")
                .description("feedback records consumed").register(registry);
        this.forgets = Counter.builder("worker.users.forgotten")
                .description("users forgotten on request (POST /forget-user)").register(registry);
    }

    @Incoming("feedback")
    public void consume(ConsumerRecords<String, byte[]> batch) {
        try {
            position.applying(() -> {
                long now = System.currentTimeMillis();
                for (ConsumerRecord<String, byte[]> record : batch) {
                    if (position.holds(record.partition(), record.offset())
                            || shard.enabled() && !shard.owned().contains(record.partition())) {
                        // Fetched before a rebalance moved the position back, or took the partition away.
                        continue;
                    }
                    boolean counted = apply(record, now);
                    position.advance(record.partition(), record.offset(), counted);
                }
                batch.nextOffsets().forEach((tp, next) -> position.readTo(tp.partition(), next.offset()));
            });
        } catch (Error e) {
            // Out of memory, say: the state may be half-updated, so the worker must be restarted from its
            // checkpoint, not go on. The channel fails too; this makes sure health says why.
            threads.died("feedback-consumer", e);
            throw e;
        }
    }

    /**
     * True when the record changed the state; a refused one is dead-lettered (its offset still advances), a
     * retried one (its user's eventId applied already) is dropped.
     */
    private boolean apply(ConsumerRecord<String, byte[]> record, long now) {
        Header type = record.headers().lastHeader(ForgetUser.HEADER);
        if (type != null) {
            return forget(record, new String(type.value() == null ? new byte[0] : type.value(),
                    StandardCharsets.UTF_8));
        }
        // An event without an id gets its record's position: the same on every replay, never a duplicate, and
        // not worth remembering.
        boolean[] idMadeUp = { false };
        Checked<FeedbackEvent> event = records.feedback(record.value(), now, () -> {
            idMadeUp[0] = true;
            return record.topic() + "-" + record.partition() + "@" + record.offset();
        }, record.timestamp());
        if (!event.ok()) {
            refused.increment();
            deadLetters.refuse(record, event);
            return false;
        }
        if (record.key() != null && !record.key().equals(event.value().userId())) {
            // The key picks the partition, and a user's events must share one to stay in order.
            refused.increment();
            deadLetters.refuse(record, "key", "the record key must be the event's userId (or absent)");
            return false;
        }
        if (shard.enabled() && UserPartitions.of(event.value().userId(), shard.partitions()) != record.partition()) {
            // The user's score requests go to the partition of their id; this shard would hold an orphan.
            refused.increment();
            deadLetters.refuse(record, "key", "in a sharded deployment a user's events must be keyed by the userId "
                    + "(this one is on partition " + record.partition() + ", its user's is "
                    + UserPartitions.of(event.value().userId(), shard.partitions()) + ")");
            return false;
        }
        // A shard's tables come from the trainer's checkpoint: an event it already holds changes the history only.
        FeedbackAdmission.Outcome outcome = admission.event(event.value(), idMadeUp[0], record.timestamp(),
                !position.aggregatesHold(record.partition(), record.offset()), now);
        if (outcome instanceof FeedbackAdmission.Refused r) {
            refused.increment();
            deadLetters.refuse(record, r.field(), r.reason());
            return false;
        }
        if (outcome instanceof FeedbackAdmission.Duplicate) {
            duplicates.increment();
            return false;
        }
        quality.applied(event.value());
        applied.increment();
        return true;
    }

    /**
     * A request to forget a user: their history, pending training and remembered event ids go now. What it
     * covers is decided by the log's order alone: every event of theirs before it in the partition, none
     * after, whatever times they carry. Counted as applied: it changes the state.
     */
    private boolean forget(ConsumerRecord<String, byte[]> record, String type) {
        if (!ForgetUser.TYPE.equals(type)) {
            refused.increment();
            String shown = dev.recsys.wire.validation.Printable.of(type, 64); // any client wrote it
            deadLetters.refuse(record, ForgetUser.HEADER, "unknown record type '" + shown + "'; the only one is "
                    + ForgetUser.TYPE);
            return false;
        }
        Checked<ForgetUser> forget = records.forgetUser(record.value(), record.timestamp());
        if (!forget.ok()) {
            refused.increment();
            deadLetters.refuse(record, forget);
            return false;
        }
        String user = forget.value().userId();
        if (record.key() == null || !record.key().equals(user)) {
            // Keyed by the user, it is ordered after their events; on another partition it could overtake them.
            refused.increment();
            deadLetters.refuse(record, "key", "the record key must be the userId to forget");
            return false;
        }
        FeedbackAdmission.Forgot forgot = admission.forget(user);
        forgets.increment();
        LOG.infof("forgot a user (history %s, %d remembered event ids dropped); the next checkpoint holds "
                + "nothing of them and older checkpoints are removed", forgot.hadHistory() ? "dropped" : "none held",
                forgot.eventIdsDropped());
        return true;
    }
}
