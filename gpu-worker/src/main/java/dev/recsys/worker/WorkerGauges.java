package dev.recsys.worker;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.common.TopicPartition;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;

import dev.recsys.core.neighbours.ItemNeighbours;
import dev.recsys.core.neighbours.ItemTables;
import dev.recsys.core.sasrec.BlendGate;
import dev.recsys.worker.model.FeedbackPosition;
import dev.recsys.worker.model.WorkerModel;

/**
 * State read when metrics are scraped: snapshot age, training backlog, feedback consumer lag, users and
 * catalogue size.
 */
@ApplicationScoped
public class WorkerGauges {

    private static final Duration LAG_TIMEOUT = Duration.ofSeconds(1);

    @Inject
    MeterRegistry registry;

    @Inject
    WorkerModel model;

    @Inject
    KafkaClientService kafka;

    @Inject
    FeedbackPosition applied;

    private final java.util.List<Gauge> gauges = new java.util.ArrayList<>();

    void register(@Observes StartupEvent event) {
        // Read through the model on every scrape: a worker may install its first model while it runs.
        gauges.add(Gauge.builder("worker.model.snapshot.age", model, m -> m.serving()
                .filter(s -> s.publishedAtMillis() >= 0)
                .map(s -> (System.currentTimeMillis() - s.publishedAtMillis()) / 1e3).orElse(Double.NaN))
                .description("seconds since the served snapshot was published").baseUnit("seconds")
                .strongReference(true).register(registry));
        gauges.add(Gauge.builder("worker.training.pending.dropped", model,
                m -> m.trainer().map(t -> (double) t.pendingDropped()).orElse(Double.NaN))
                .description("users dropped from online training's queue unstepped (the stream outran training "
                        + "past worker.training.max-pending-users or -bytes)").strongReference(true).register(registry));
        gauges.add(Gauge.builder("worker.training.pending.users", model,
                m -> m.trainer().map(t -> (double) t.pendingUsers()).orElse(Double.NaN))
                .description("users with events no step has trained on yet").strongReference(true).register(registry));
        gauges.add(Gauge.builder("worker.blend.table.share", model,
                m -> m.blendGate().map(BlendGate::weight).orElse(Double.NaN))
                .description("the co-occurrence table's share of the blended ranking (the rest is the model's)")
                .strongReference(true).register(registry));
        for (int b = 0; b < BlendGate.BAND_NAMES.length; b++) {
            int band = b;
            gauges.add(Gauge.builder("worker.blend.table.share.by.history", model, m -> m.blendGate()
                    .filter(g -> g.bands() > band).map(g -> g.bandWeight(band)).orElse(Double.NaN))
                    .tag("history", BlendGate.BAND_NAMES[b])
                    .description("the table's share for users with this many items in their history")
                    .strongReference(true).register(registry));
        }
        gauges.add(Gauge.builder("worker.blend.samples", model,
                m -> m.blendGate().map(g -> (double) g.samples()).orElse(Double.NaN))
                .description("sampled events the blend's share was learnt from").strongReference(true)
                .register(registry));
        gauges.add(Gauge.builder("worker.blend.in.sample.skipped", model,
                m -> m.blendProbe().map(p -> (double) p.inSampleSkipped()).orElse(Double.NaN))
                .description("events the blend's probe passed over because the model was fitted on them")
                .strongReference(true).register(registry));
        ItemTables tables = model.state().tables();
        for (Map.Entry<String, ItemNeighbours> table : Map.of("cooccurrence", tables.cooccurrence(),
                "markov", tables.markov()).entrySet()) {
            gauges.add(Gauge.builder("worker.item.table.bytes", table.getValue(), ItemNeighbours::bytes)
                    .tag("table", table.getKey()).baseUnit("bytes")
                    .description("an item table's rows as HPPC accounts them, within worker.limits.max-item-table-bytes")
                    .strongReference(true).register(registry));
            gauges.add(Gauge.builder("worker.item.table.pruned.entries", table.getValue(), ItemNeighbours::prunedEntries)
                    .tag("table", table.getKey())
                    .description("neighbour entries dropped, least count / sqrt(row total) first, to stay within the budget")
                    .strongReference(true).register(registry));
        }
        gauges.add(Gauge.builder("worker.feedback.applied", applied, FeedbackPosition::events)
                .description("feedback events in the worker's state, counted across restarts from checkpoints")
                .strongReference(true).register(registry));
        gauges.add(Gauge.builder("worker.users", model.state().histories(), h -> h.users())
                .description("users with a history").strongReference(true).register(registry));
        gauges.add(Gauge.builder("worker.items", model.recommender(), r -> r.items())
                .description("items with positive feedback, bounded by worker.limits.max-items")
                .strongReference(true).register(registry));
        gauges.add(Gauge.builder("worker.users.evicted", model.state().histories(), h -> h.evicted())
                .description("least recently active users forgotten to stay within worker.limits.max-users or max-history-bytes")
                .strongReference(true).register(registry));
        gauges.add(Gauge.builder("worker.catalogue.items", model.recommender().catalogue(), c -> c.size())
                .description("items in the catalogue (from the items topic)").strongReference(true).register(registry));
        gauges.add(Gauge.builder("worker.state.bytes", model.state().histories(), h -> h.bytes())
                .tag("part", "histories").baseUnit("bytes")
                .description("what the worker holds against its byte budgets (worker.limits.*, worker.dedup.max-bytes)")
                .strongReference(true).register(registry));
        gauges.add(Gauge.builder("worker.state.bytes", model.recommender().catalogue(), c -> c.bytes())
                .tag("part", "catalogue").baseUnit("bytes")
                .description("what the worker holds against its byte budgets (worker.limits.*, worker.dedup.max-bytes)")
                .strongReference(true).register(registry));
        gauges.add(Gauge.builder("worker.state.bytes", model.state().eventIds(),
                ids -> ids.size() * (double) dev.recsys.core.AppliedEventIds.BYTES_PER_PAIR)
                .tag("part", "dedup").baseUnit("bytes")
                .description("what the worker holds against its byte budgets (worker.limits.*, worker.dedup.max-bytes)")
                .strongReference(true).register(registry));
        gauges.add(Gauge.builder("worker.dedup.evicted.by.share", model.state().eventIds(), ids -> ids.evictedByShare())
                .description("event ids forgotten because their user was past worker.dedup.max-ids-per-user")
                .strongReference(true).register(registry));
        gauges.add(Gauge.builder("worker.catalogue.categories", model.recommender().catalogue(), c -> c.categories())
                .description("categories with at least one item in the catalogue's index").strongReference(true)
                .register(registry));
        gauges.add(Gauge.builder("worker.feedback.lag", this, WorkerGauges::feedbackLag)
                .description("feedback records in the log not yet consumed").baseUnit("records").strongReference(true).register(registry));
    }

    /** The registry may outlive this application (see TrainingMetrics#unregister). */
    @PreDestroy
    void unregister() {
        gauges.forEach(registry::remove);
    }

    /** Records behind the log end over the assigned partitions, from the consumer's last fetch; NaN if unknown. */
    double feedbackLag() {
        try {
            return kafka.<String, Object>getConsumer("feedback").runOnPollingThread(c -> {
                Set<TopicPartition> assigned = new HashSet<>(c.assignment());
                long lag = 0;
                for (TopicPartition tp : assigned) {
                    var l = c.currentLag(tp);
                    if (l.isEmpty()) {
                        return Double.NaN;
                    }
                    lag += l.getAsLong();
                }
                return (double) lag;
            }).await().atMost(LAG_TIMEOUT);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
