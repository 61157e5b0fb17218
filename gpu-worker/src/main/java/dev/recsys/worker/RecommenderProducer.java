package dev.recsys.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.recsys.core.FeedbackListener;
import dev.recsys.core.FeedbackWeights;
import dev.recsys.core.PopularityScorer;
import dev.recsys.core.Recommender;
import dev.recsys.core.UserHistories;
import dev.recsys.core.sasrec.ModelSnapshot;
import dev.recsys.core.sasrec.OnlineTrainer;
import dev.recsys.core.sasrec.OnlineTrainingConfig;
import dev.recsys.core.sasrec.PyTorchEngine;
import dev.recsys.core.sasrec.SasRecCheckpoint;
import dev.recsys.core.sasrec.SasRecModel;
import dev.recsys.core.sasrec.SasRecScorer;
import dev.recsys.core.sasrec.ServingModel;
import dev.recsys.wire.FeedbackType;

/** Builds the plain-Java core from configuration: state, scorer, and the online trainer if enabled. */
public class RecommenderProducer {

    private static final Logger LOG = Logger.getLogger(RecommenderProducer.class);

    @Produces
    @Singleton
    WorkerModel model(WorkerConfig config, TrainingMetrics metrics) {
        var histories = new UserHistories(config.history().maxLength(), config.history().maxSeen());
        var popularity = new PopularityScorer(config.popularity().halfLife().toMillis(),
                config.popularity().refresh().toNanos());
        var weights = new FeedbackWeights(byType(config.feedbackWeights()), config.positiveRating());
        Optional<Path> checkpoint = config.model().path();
        if (checkpoint.isEmpty()) {
            LOG.info("no model configured (worker.model.path): popularity answers every request");
            return new WorkerModel(Recommender.popularityOnly(histories, popularity, weights), null, null);
        }
        PyTorchEngine.load(config.model().cacheDir(), config.model().threads());
        SasRecCheckpoint.Loaded loaded;
        try {
            loaded = SasRecCheckpoint.load(checkpoint.get());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the model in " + checkpoint.get(), e);
        }
        String name = "sasrec@" + checkpoint.get().getFileName();
        LOG.infof("SASRec model from %s: %d items, config %s", checkpoint.get(), loaded.vocabulary().rows() - 1,
                loaded.model().config());
        SasRecModel base = loaded.model();
        ServingModel serving = new ServingModel(new ModelSnapshot(
                SasRecModel.of(base.config(), base.weights()), name, System.currentTimeMillis()));
        var scorer = new SasRecScorer(serving, loaded.vocabulary(), popularity);
        WorkerConfig.Training t = config.training();
        if (!t.enabled()) {
            base.close();
            LOG.info("online training off (worker.training.enabled=false): the model stays as loaded");
            return new WorkerModel(new Recommender(histories, popularity, scorer, weights, FeedbackListener.NONE),
                    serving, null);
        }
        SasRecModel trained = SasRecModel.of(
                base.config().withLearningRate(t.learningRate()).withDropout(t.dropout()), base.weights());
        base.close();
        var trainer = new OnlineTrainer(trained, loaded.vocabulary(), histories, serving,
                new OnlineTrainingConfig(t.usersPerStep(), t.replayPerStep(), t.lastTargets(), t.publishEverySteps(),
                        t.replayCapacity(), t.matureFraction()), metrics, name);
        trainer.start();
        LOG.infof("online training on: %s, learning rate %s", t, trained.config().learningRate());
        return new WorkerModel(new Recommender(histories, popularity, scorer, weights, trainer), serving, trainer);
    }

    void close(@Disposes WorkerModel model) {
        model.close();
    }

    @Produces
    @Singleton
    Recommender recommender(WorkerModel model) {
        return model.recommender();
    }

    static Map<FeedbackType, Double> byType(Map<String, Double> byName) {
        Map<FeedbackType, Double> out = new EnumMap<>(FeedbackType.class);
        byName.forEach((name, weight) -> out.put(FeedbackType.parse(name).orElseThrow(
                () -> new IllegalArgumentException("worker.feedback-weights." + name
                        + ": unknown feedback type; one of " + FeedbackType.NAMES)), weight));
        return out;
    }
}
