package dev.recsys.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.jboss.logging.Logger;

import dev.recsys.wire.FeedbackType;
import dev.recsys.core.FeedbackWeights;
import dev.recsys.core.PopularityScorer;
import dev.recsys.core.Recommender;
import dev.recsys.core.Scorer;
import dev.recsys.core.UserHistories;
import dev.recsys.core.sasrec.PyTorchEngine;
import dev.recsys.core.sasrec.SasRecCheckpoint;
import dev.recsys.core.sasrec.SasRecScorer;

/** Builds the plain-Java core from configuration. */
public class RecommenderProducer {

    private static final Logger LOG = Logger.getLogger(RecommenderProducer.class);

    @Produces
    @ApplicationScoped
    Recommender recommender(WorkerConfig config) {
        var histories = new UserHistories(config.history().maxLength(), config.history().maxSeen());
        var popularity = new PopularityScorer(config.popularity().halfLife().toMillis(),
                config.popularity().refresh().toNanos());
        var weights = new FeedbackWeights(byType(config.feedbackWeights()), config.positiveRating());
        Optional<Path> checkpoint = config.model().path();
        if (checkpoint.isEmpty()) {
            LOG.info("no model configured (worker.model.path): popularity answers every request");
            return Recommender.popularityOnly(histories, popularity, weights);
        }
        PyTorchEngine.load(config.model().cacheDir(), config.model().threads());
        try {
            SasRecCheckpoint.Loaded loaded = SasRecCheckpoint.load(checkpoint.get());
            LOG.infof("SASRec model from %s: %d items, config %s", checkpoint.get(),
                    loaded.vocabulary().rows() - 1, loaded.model().config());
            Scorer scorer = new SasRecScorer(loaded.model(), loaded.vocabulary(), popularity,
                    checkpoint.get().getFileName().toString());
            return new Recommender(histories, popularity, scorer, weights);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the model in " + checkpoint.get(), e);
        }
    }

    static Map<FeedbackType, Double> byType(Map<String, Double> byName) {
        Map<FeedbackType, Double> out = new EnumMap<>(FeedbackType.class);
        byName.forEach((name, weight) -> out.put(FeedbackType.parse(name).orElseThrow(
                () -> new IllegalArgumentException("worker.feedback-weights." + name
                        + ": unknown feedback type; one of " + FeedbackType.NAMES)), weight));
        return out;
    }
}
