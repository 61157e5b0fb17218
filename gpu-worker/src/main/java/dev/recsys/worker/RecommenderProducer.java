package dev.recsys.worker;

import java.util.EnumMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import dev.recsys.wire.FeedbackType;
import dev.recsys.core.FeedbackWeights;
import dev.recsys.core.PopularityScorer;
import dev.recsys.core.Recommender;
import dev.recsys.core.UserHistories;

/** Builds the plain-Java core from configuration. */
public class RecommenderProducer {

    @Produces
    @ApplicationScoped
    Recommender recommender(WorkerConfig config) {
        var histories = new UserHistories(config.history().maxLength(), config.history().maxSeen());
        var popularity = new PopularityScorer(config.popularity().halfLife().toMillis(),
                config.popularity().refresh().toNanos());
        var weights = new FeedbackWeights(byType(config.feedbackWeights()), config.positiveRating());
        return Recommender.popularityOnly(histories, popularity, weights);
    }

    static Map<FeedbackType, Double> byType(Map<String, Double> byName) {
        Map<FeedbackType, Double> out = new EnumMap<>(FeedbackType.class);
        byName.forEach((name, weight) -> out.put(FeedbackType.parse(name).orElseThrow(
                () -> new IllegalArgumentException("worker.feedback-weights." + name
                        + ": unknown feedback type; one of " + FeedbackType.NAMES)), weight));
        return out;
    }
}
