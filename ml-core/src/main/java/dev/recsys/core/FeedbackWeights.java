package dev.recsys.core;

import java.util.EnumMap;
import java.util.Map;

import dev.recsys.wire.FeedbackEvent;
import dev.recsys.wire.FeedbackType;

/**
 * How much each kind of feedback says about a user liking an item. Ratings count as positive at or above
 * {@code positiveRating} and as nothing below it; skips and dislikes weigh nothing here (they never make an
 * item popular).
 */
public final class FeedbackWeights {

    private final EnumMap<FeedbackType, Double> weights;
    private final double positiveRating;

    public FeedbackWeights(Map<FeedbackType, Double> weights, double positiveRating) {
        this.weights = new EnumMap<>(FeedbackType.class);
        for (FeedbackType t : FeedbackType.values()) {
            this.weights.put(t, weights.getOrDefault(t, 0.0));
        }
        this.positiveRating = positiveRating;
    }

    public static FeedbackWeights defaults() {
        return new FeedbackWeights(Map.of(
                FeedbackType.VIEW, 1.0,
                FeedbackType.CLICK, 1.0,
                FeedbackType.LIKE, 2.0,
                FeedbackType.PURCHASE, 3.0,
                FeedbackType.RATING, 2.0), 3.5);
    }

    /** Positive feedback becomes a training target; negative feedback removes the item from the user's lists. */
    public enum Polarity { POSITIVE, NEUTRAL, NEGATIVE }

    public Polarity polarity(FeedbackEvent event) {
        if (event.type() == FeedbackType.SKIP || event.type() == FeedbackType.DISLIKE
                || (event.type() == FeedbackType.RATING && (event.value() == null || event.value() < positiveRating))) {
            return Polarity.NEGATIVE;
        }
        return weight(event) > 0 ? Polarity.POSITIVE : Polarity.NEUTRAL;
    }

    public double weight(FeedbackEvent event) {
        if (event.type() == FeedbackType.RATING && (event.value() == null || event.value() < positiveRating)) {
            return 0.0;
        }
        return Math.max(0.0, weights.get(event.type()));
    }
}
