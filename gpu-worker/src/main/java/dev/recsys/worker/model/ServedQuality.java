package dev.recsys.worker.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.FunctionCounter;
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
import dev.recsys.core.quality.TableComparison;
import dev.recsys.core.sasrec.ModelSnapshot;
import dev.recsys.core.sasrec.SasRecScorer;
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
 * <p>
 * A blend's answers are also compared with the co-occurrence table's on the same requests
 * ({@code worker.quality.compare-table}): both lists are scored by the same next event, so the two sums differ
 * only where the lists do (worker_quality_paired_*).
 */
@Singleton
public class ServedQuality {

    private static final Logger LOG = Logger.getLogger(ServedQuality.class);

    @Inject
    WorkerModel model;

    @Inject
    ItemCatalogue catalogue;

    @Inject
    MeterRegistry registry;

    private RollingQuality rolling;
    private FeedbackWeights weights;
    /** Null when the comparison is off. */
    private TableComparison paired;
    private volatile long summarisedAt;
    private volatile ListQuality summary;

    @Inject
    void configure(WorkerConfig config) {
        this.rolling = new RollingQuality(new StreamQuality(config.quality().users(), config.limits().maxItems()),
                config.quality().window());
        this.weights = WorkerConfig.feedbackWeightsOf(config);
        this.paired = config.quality().compareTable() ? new TableComparison(config.quality().users()) : null;
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
        if (paired != null) {
            counter("worker.quality.paired.outcomes", null, t -> t.outcomes(),
                    "blended user lists scored by the user's next positive item, each beside the table's list for the same request");
            counter("worker.quality.paired.differing", null, t -> t.differing(),
                    "of those, lists whose top 10 differed from the table's");
            counter("worker.quality.paired.gain", "served", TableComparison.Totals::servedGain,
                    "sum of NDCG@10 over the scored pairs: the served list's (list=served) or the table's (list=table)");
            counter("worker.quality.paired.gain", "table", TableComparison.Totals::tableGain,
                    "sum of NDCG@10 over the scored pairs: the served list's (list=served) or the table's (list=table)");
            counter("worker.quality.paired.difference.squares", null, TableComparison.Totals::differenceSquares,
                    "sum over the scored pairs of (served NDCG@10 - table NDCG@10)^2: the paired difference's spread");
        }
    }

    /** @param list a closed set of label values (served, table), or null for no label */
    private void counter(String name, String list, ToDoubleFunction<TableComparison.Totals> figure, String description) {
        FunctionCounter.Builder<TableComparison> b = FunctionCounter
                .builder(name, paired, c -> figure.applyAsDouble(c.totals())).description(description);
        (list == null ? b : b.tag("list", list)).register(registry);
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
            List<Integer> blended = new ArrayList<>();
            for (int i = 0; i < requests.size(); i++) {
                ScoreRequest r = requests.get(i);
                ScoreReply a = replies.get(i);
                if (r.kind() == ScoreRequest.Kind.USER && a.error() == null && a.items() != null) {
                    rolling.served(r.userId(), ids(a.items()), traits);
                    if (paired != null && SasRecScorer.blended(a.modelVersion())) {
                        blended.add(i);
                    }
                }
            }
            compare(requests, replies, blended);
        } catch (RuntimeException e) {
            // A measure must never cost an answer: the replies are already made, and stay as they are.
            LOG.warnf("measuring served lists failed (%s); the replies are unaffected", e.getClass().getName());
        } finally {
            held.ifPresent(ModelSnapshot::release);
        }
    }

    /** The table's answers to the blended requests, each kept beside what was served. */
    private void compare(List<ScoreRequest> requests, List<ScoreReply> replies, List<Integer> blended) {
        if (blended.isEmpty()) {
            return;
        }
        List<List<ScoredItem>> table = model.recommender()
                .tableAnswers(blended.stream().map(requests::get).toList());
        for (int j = 0; j < blended.size(); j++) {
            int i = blended.get(j);
            paired.listed(requests.get(i).userId(), ids(replies.get(i).items()), ids(table.get(j)));
        }
    }

    private static List<String> ids(List<ScoredItem> items) {
        return items.stream().map(ScoredItem::itemId).toList();
    }

    /** Called by the feedback thread for each event applied. */
    public void applied(FeedbackEvent event) {
        boolean positive = weights.polarity(event) == FeedbackWeights.Polarity.POSITIVE;
        rolling.applied(event.userId(), event.itemId(), positive);
        if (paired != null) {
            paired.applied(event.userId(), event.itemId(), positive);
        }
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
