package dev.recsys.worker.model;

import java.util.function.Supplier;

import org.jboss.logging.Logger;

import dev.recsys.core.AppliedEventIds;
import dev.recsys.core.FeedbackListener;
import dev.recsys.core.ForgottenUsers;
import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.PopularityScorer;
import dev.recsys.core.Scorer;
import dev.recsys.core.UserHistories;
import dev.recsys.core.neighbours.ItemTables;
import dev.recsys.core.neighbours.NeighbourScorer;
import dev.recsys.core.recommender.PredictionProbe;
import dev.recsys.core.sasrec.BlendGate;
import dev.recsys.core.sasrec.BlendProbe;
import dev.recsys.core.sasrec.ModelSnapshot;
import dev.recsys.core.sasrec.NeighbourBlend;
import dev.recsys.core.sasrec.OnlineTrainer;
import dev.recsys.core.sasrec.OnlineTrainingConfig;
import dev.recsys.core.sasrec.SasRecConfig;
import dev.recsys.core.sasrec.SasRecModel;
import dev.recsys.core.sasrec.SasRecScorer;
import dev.recsys.core.sasrec.ScoringBackend;
import dev.recsys.core.sasrec.ServingModel;
import dev.recsys.worker.config.WorkerConfig;

/**
 * Builds what serves and trains a model around the worker's state: the served snapshot, the scorer (mixed
 * with the co-occurrence table unless {@code worker.scorer=sasrec}), the blend's probe and the online
 * trainer. The same whether the model was loaded at start or trained by the worker itself.
 */
public final class ModelAssembly {

    private static final Logger LOG = Logger.getLogger(ModelAssembly.class);

    /** The parts, and what the recommender talks to: {@code scorer}, {@code listener}, {@code predictions}. */
    public record Assembled(ServingModel serving, Scorer scorer, FeedbackListener listener, PredictionProbe predictions,
            BlendProbe probe, OnlineTrainer trainer, WorkerModel.State state) {
    }

    private final WorkerConfig config;
    private final TrainingMetrics metrics;
    private final UserHistories histories;
    private final PopularityScorer popularity;
    private final ItemTables tables;
    private final NeighbourScorer cooccurrence;
    private final AppliedEventIds eventIds;
    private final ForgottenUsers forgotten;
    private final Supplier<ScoringBackend> backend;

    public ModelAssembly(WorkerConfig config, TrainingMetrics metrics, UserHistories histories, PopularityScorer popularity,
            ItemTables tables, NeighbourScorer cooccurrence, AppliedEventIds eventIds, ForgottenUsers forgotten,
            Supplier<ScoringBackend> backend) {
        this.config = config;
        this.metrics = metrics;
        this.histories = histories;
        this.popularity = popularity;
        this.tables = tables;
        this.cooccurrence = cooccurrence;
        this.eventIds = eventIds;
        this.forgotten = forgotten;
        this.backend = backend;
    }

    /** @param restoredFrom the checkpoint the model came from, or null */
    public Assembled assemble(StartingModel start, String restoredFrom, boolean replica) {
        SasRecConfig modelConfig = start.config();
        ItemVocabulary vocabulary = start.vocabulary();
        String name = start.name();
        LOG.infof("SASRec model %s: %d items, config %s", name, vocabulary.rows() - 1, modelConfig);
        ServingModel serving = new ServingModel(new ModelSnapshot(SasRecModel.of(modelConfig, start.weights()), name,
                System.currentTimeMillis()));
        ScoringBackend scoring = backend.get();
        WorkerConfig.ScorerChoice choice = config.scorer();
        NeighbourBlend blend = choice == WorkerConfig.ScorerChoice.SASREC ? null : blend(config.blend());
        BlendProbe probe = blend == null || !config.blend().learn() ? null
                : new BlendProbe(blend.gate(), serving, vocabulary, scoring, config.blend().samplesPerSecond(),
                        start.fittedThroughMillis()).start();
        // Blended, users the model knows nothing of get the table's answer (itself popularity when it has none).
        var scorer = new SasRecScorer(serving, vocabulary, blend == null ? popularity : cooccurrence, scoring, blend);
        // A blend can recommend items the model has no row for yet: they need vocabulary rows even when no
        // trainer gives them some.
        FeedbackListener growVocabulary = blend == null ? FeedbackListener.NONE
                : (user, item, ingestedAtMillis) -> vocabulary.add(item);
        PredictionProbe predictions = probe == null ? PredictionProbe.NONE : probe;
        WorkerModel.State state = new WorkerModel.State(histories, popularity, tables, vocabulary, modelConfig,
                start.fittedThroughMillis(), restoredFrom, eventIds, forgotten);
        WorkerConfig.Training t = config.training();
        if (!t.enabled() || replica) {
            LOG.info(replica ? "replica: no training; the model follows the primary's checkpoints"
                    : "online training off (worker.training.enabled=false): the model stays as loaded");
            return new Assembled(serving, scorer, replica ? FeedbackListener.NONE : growVocabulary, predictions, probe,
                    null, state);
        }
        SasRecModel trained = SasRecModel.of(
                modelConfig.withLearningRate(t.learningRate()).withDropout(t.dropout()), start.weights());
        var trainer = new OnlineTrainer(trained, vocabulary, histories, serving,
                new OnlineTrainingConfig(t.usersPerStep(), t.rehearsalPerStep(), t.lastTargets(), t.publishEverySteps(),
                        t.publishWithin().toMillis(), t.rehearsalCapacity(), t.matureFraction(), t.maxPendingUsers(),
                        t.maxPendingBytes()), metrics, name);
        start.restored().ifPresent(m -> m.optimizer().ifPresent(
                o -> trainer.restore(o, m.trainingSteps(), m.startingRows())));
        trainer.start();
        LOG.infof("online training on: %s, learning rate %s", t, trained.config().learningRate());
        return new Assembled(serving, scorer, trainer, predictions, probe, trainer, state);
    }

    /** The Transformer mixed with the co-occurrence table, the table's share fixed or learnt. */
    private NeighbourBlend blend(WorkerConfig.Blend b) {
        BlendGate gate = b.learn() ? BlendGate.byHistoryLength(b.weight(), b.decay(), b.evidence())
                : BlendGate.fixed(b.weight());
        LOG.infof("the Transformer's next-item distribution is mixed with the co-occurrence table's; the table's "
                + "share starts at %s%s", b.weight(), b.learn() ? " and is learnt from the stream" : ", fixed");
        return new NeighbourBlend(cooccurrence, gate);
    }
}
