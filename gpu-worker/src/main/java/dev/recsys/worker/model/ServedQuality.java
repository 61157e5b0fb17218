package dev.recsys.worker.model;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

import dev.recsys.core.FeedbackWeights;
import dev.recsys.core.ItemCatalogue;
import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.quality.ItemTraits;
import dev.recsys.core.quality.ListQuality;
import dev.recsys.core.quality.RollingQuality;
import dev.recsys.core.quality.StreamQuality;
import dev.recsys.core.sasrec.ModelSnapshot;
import dev.recsys.wire.FeedbackEvent;
import dev.recsys.wire.ScoreReply;
import dev.recsys.wire.ScoreRequest;
import dev.recsys.wire.ScoredItem;
import dev.recsys.worker.config.WorkerConfig;

/**
 * The five measures of what this worker serves (accuracy, diversity, novelty, coverage, interactivity), over
 * the last complete window of {@code worker.quality.window} user lists, in {@code /q/metrics}. Each user list
 * answered is measured on its first ten items (at most 45 pairs); the user's next positive event scores it.
 * Memory is bounded: the last list of {@code worker.quality.users} users and the event counts of at most
 * {@code worker.limits.max-items} items. Genres are the catalogue's categories; vectors the served snapshot's
 * item embeddings.
 */
@Singleton
public class ServedQuality {

    @Inject
    WorkerModel model;

    @Inject
    ItemCatalogue catalogue;

    @Inject
    MeterRegistry registry;

    private RollingQuality rolling;
    private FeedbackWeights weights;
    private volatile long summarisedAt;
    private volatile ListQuality summary;

    @Inject
    void configure(WorkerConfig config) {
        this.rolling = new RollingQuality(new StreamQuality(config.quality().users(), config.limits().maxItems()),
                config.quality().window());
        this.weights = WorkerConfig.feedbackWeightsOf(config);
    }

    void register(@Observes StartupEvent event) {
        gauge("worker.quality.lists", q -> q.lists(), "user lists in the window the figures below are taken over");
        gauge("worker.quality.hr10", ListQuality::hr10, "share of served lists holding the user's next positive item");
        gauge("worker.quality.ndcg10", ListQuality::ndcg10, "NDCG@10 of served lists for the user's next positive item");
        gauge("worker.quality.genre.distance", ListQuality::genreDistance,
                "intra-list distance over the catalogue's categories (mean 1 - Jaccard over pairs)");
        gauge("worker.quality.vector.distance", ListQuality::vectorDistance,
                "intra-list distance over the model's item vectors (mean 1 - cosine over pairs)");
        gauge("worker.quality.novelty", ListQuality::novelty, "mean self-information of listed items, in bits");
        gauge("worker.quality.coverage", ListQuality::coverage, "share of the items with events that were listed");
        gauge("worker.quality.gini", ListQuality::gini, "Gini index of how often each item was listed");
        gauge("worker.quality.interactivity", ListQuality::interactivity,
                "Jaccard distance of a user's list from their list before their own event");
    }

    private void gauge(String name, ToDoubleFunction<ListQuality> figure, String description) {
        Gauge.builder(name, this, q -> figure.applyAsDouble(q.latest())).description(description)
                .strongReference(true).register(registry);
    }

    /** Worked out at most once a second: a scrape reads nine gauges of the same summary. */
    private ListQuality latest() {
        long now = System.nanoTime();
        ListQuality s = summary;
        if (s == null || now - summarisedAt > 1_000_000_000L) {
            s = summary = rolling.latest();
            summarisedAt = now;
        }
        return s;
    }

    /** Called by the scoring thread with each batch's answers. */
    public void served(List<ScoreRequest> requests, List<ScoreReply> replies) {
        Optional<ModelSnapshot> held = model.serving().flatMap(s -> s.acquire());
        try {
            ItemTraits traits = new Traits(held.orElse(null), model.state().vocabulary());
            for (int i = 0; i < requests.size(); i++) {
                ScoreRequest r = requests.get(i);
                ScoreReply a = replies.get(i);
                if (r.kind() == ScoreRequest.Kind.USER && a.error() == null && a.items() != null) {
                    rolling.served(r.userId(), a.items().stream().map(ScoredItem::itemId).toList(), traits);
                }
            }
        } finally {
            held.ifPresent(ModelSnapshot::release);
        }
    }

    /** Called by the feedback thread for each event applied. */
    public void applied(FeedbackEvent event) {
        rolling.applied(event.userId(), event.itemId(),
                weights.polarity(event) == FeedbackWeights.Polarity.POSITIVE);
    }

    /** The catalogue's categories, and the held snapshot's item embeddings. */
    private final class Traits implements ItemTraits {
        private final ModelSnapshot snapshot;
        private final ItemVocabulary vocabulary;

        Traits(ModelSnapshot snapshot, ItemVocabulary vocabulary) {
            this.snapshot = snapshot;
            this.vocabulary = vocabulary;
        }

        @Override
        public Set<String> genres(String item) {
            return catalogue.get(item).map(u -> Set.copyOf(u.categories())).orElse(null);
        }

        @Override
        public float[] vector(String item) {
            if (snapshot == null || vocabulary == null) {
                return null;
            }
            int row = vocabulary.row(item);
            int dim = snapshot.model().config().dim();
            if (row <= 0 || row >= snapshot.rows()) {
                return null;
            }
            return java.util.Arrays.copyOfRange(snapshot.itemEmbeddings(), row * dim, (row + 1) * dim);
        }
    }
}
