package dev.recsys.core.recommender;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import dev.recsys.core.FeedbackListener;
import dev.recsys.core.ItemFilter;
import dev.recsys.core.Recommendations;
import dev.recsys.core.ScoreQuery;
import dev.recsys.core.Scorer;
import dev.recsys.core.SimilarItems;
import dev.recsys.core.neighbours.Votes;

/**
 * Where a model goes that arrives while the worker runs (one trained from its own histories): the
 * {@link Recommender} scores, tells feedback and offers samples through the slot, which answers with the
 * fallback scorer until it is filled, and with the model's parts from then on. Filled once; never emptied.
 * It also notes when the last positive event came, which tells the bootstrap that the feed has paused.
 */
public final class ModelSlot implements Scorer, SimilarItems, FeedbackListener, PredictionProbe {

    /** The parts of a model that the recommender talks to. */
    public record Filling(Scorer scorer, FeedbackListener listener, PredictionProbe probe) {
    }

    private final Scorer fallback;
    private volatile Filling filling;
    private final AtomicLong positives = new AtomicLong();
    private volatile long lastPositiveNanos = System.nanoTime();

    public ModelSlot(Scorer fallback) {
        this.fallback = fallback;
    }

    public void fill(Filling parts) {
        if (filling != null) {
            throw new IllegalStateException("the model slot is filled already");
        }
        filling = parts;
    }

    public boolean filled() {
        return filling != null;
    }

    /** Positive events told to the slot since the worker started (replayed ones included). */
    public long positives() {
        return positives.get();
    }

    /** {@link System#nanoTime()} of the last positive event. */
    public long lastPositiveNanos() {
        return lastPositiveNanos;
    }

    @Override
    public List<Recommendations> score(List<ScoreQuery> queries) {
        Filling f = filling;
        return (f == null ? fallback : f.scorer()).score(queries);
    }

    @Override
    public Optional<Recommendations> similar(String itemId, ItemFilter filter, int k) {
        Filling f = filling;
        return f != null && f.scorer() instanceof SimilarItems model ? model.similar(itemId, filter, k) : Optional.empty();
    }

    @Override
    public void positive(String userId, String itemId, long ingestedAtMillis) {
        positives.incrementAndGet();
        lastPositiveNanos = System.nanoTime();
        Filling f = filling;
        if (f != null) {
            f.listener().positive(userId, itemId, ingestedAtMillis);
        }
    }

    @Override
    public void forgotten(String userId) {
        Filling f = filling;
        if (f != null) {
            f.listener().forgotten(userId);
        }
    }

    @Override
    public boolean wantsSample(long eventTimeMillis) {
        Filling f = filling;
        return f != null && f.probe().wantsSample(eventTimeMillis);
    }

    @Override
    public int historyLength() {
        Filling f = filling;
        return f == null ? 0 : f.probe().historyLength();
    }

    @Override
    public void offer(List<String> before, String item, Votes tableDistribution, int tableRank) {
        Filling f = filling;
        if (f != null) {
            f.probe().offer(before, item, tableDistribution, tableRank);
        }
    }
}
