package dev.recsys.worker;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.recsys.core.AppliedEventIds;
import dev.recsys.core.FeedbackListener;
import dev.recsys.core.ForgottenUsers;
import dev.recsys.core.ItemCatalogue;
import dev.recsys.core.PopularityScorer;
import dev.recsys.core.Scorer;
import dev.recsys.core.UserHistories;
import dev.recsys.core.UserHistory;
import dev.recsys.core.checkpoint.CheckpointImage;
import dev.recsys.core.neighbours.ItemTables;
import dev.recsys.core.neighbours.NeighbourScorer;
import dev.recsys.core.recommender.ModelSlot;
import dev.recsys.core.recommender.Recommender;
import dev.recsys.core.sasrec.ModelFolder;
import dev.recsys.core.sasrec.PyTorchEngine;
import dev.recsys.core.sasrec.ScoringBackend;
import dev.recsys.tensorflow.TensorFlowBackend;
import dev.recsys.tensorflow.TensorFlowEngine;
import dev.recsys.worker.checkpoint.CataloguePosition;
import dev.recsys.worker.checkpoint.WorkerCheckpoints;
import dev.recsys.worker.config.WorkerConfig;
import dev.recsys.worker.model.FeedbackPosition;
import dev.recsys.worker.model.ModelAssembly;
import dev.recsys.worker.model.StartingModel;
import dev.recsys.worker.model.TrainingMetrics;
import dev.recsys.worker.model.WorkerModel;

/** Builds the plain-Java core from configuration: state, scorer, and the online trainer if enabled. */
public class RecommenderProducer {

    private static final Logger LOG = Logger.getLogger(RecommenderProducer.class);

    /** The TensorFlow backend if chosen, closed with the worker. */
    private TensorFlowBackend tensorflow;

    @Produces
    @Singleton
    WorkerModel model(WorkerConfig config, TrainingMetrics metrics, WorkerCheckpoints checkpoints,
            FeedbackPosition applied, ItemCatalogue catalogue, CataloguePosition cataloguePosition) {
        // At start, whether a model comes now, later (bootstrap) or never: a GPU asked for and missing is a
        // refusal to start, not a surprise at the first training.
        PyTorchEngine.load(config.model().cacheDir(), config.model().threads(), config.device());
        var histories = new UserHistories(config.history().maxLength(), config.history().maxSeen(),
                config.limits().maxUsers(), config.limits().maxUserBytes(), config.limits().maxHistoryBytes());
        var popularity = new PopularityScorer(config.popularity().halfLife().toMillis(),
                config.popularity().refresh().toNanos());
        var weights = WorkerConfig.feedbackWeightsOf(config);
        var tables = ItemTables.withBudget(config.limits().maxItemTableBytes());
        int maxIds = (int) Math.max(1, Math.min(config.dedup().maxIds(),
                config.dedup().maxBytes() / AppliedEventIds.BYTES_PER_PAIR));
        var eventIds = new AppliedEventIds(maxIds, config.dedup().maxIdsPerUser(), config.dedup().retention().toMillis());
        var forgotten = new ForgottenUsers();
        var cooccurrence = NeighbourScorer.cooccurrence(tables.cooccurrence(), popularity);
        boolean replica = config.mode().follows();
        if (replica && !checkpoints.enabled()) {
            throw new IllegalStateException("worker.mode=" + config.mode().name().toLowerCase(java.util.Locale.ROOT)
                    + " needs worker.checkpoint.store: it serves the checkpoints a primary or trainer writes");
        }
        boolean shard = config.mode() == WorkerConfig.Mode.SHARD;
        Optional<WorkerCheckpoints.Restored> restored = checkpoints.loadAtStart(!shard);
        if (replica && restored.flatMap(r -> r.state().model()).isEmpty()) {
            LOG.infof("no checkpoint with a model in %s yet: the table serves until the trainer writes one",
                    checkpoints.describe());
        }
        // A shard holds only the users of the partitions Kafka assigns it; it takes their histories from the
        // checkpoint when they are assigned (ShardOwnership), so it reads no user's history here.
        restored.ifPresent(r -> {
            CheckpointImage s = r.state();
            histories.restore(shard ? Map.of() : s.histories());
            popularity.restore(s.popularity());
            tables.restore(s.itemTables(), s.histories().values().stream().map(UserHistory.Image::sequence).toList());
            eventIds.restore(s.eventIds());
            s.catalogue().ifPresent(c -> {
                catalogue.restore(c.items());
                cataloguePosition.restore(c.nextOffsets());
            });
            applied.restore(shard ? Map.of() : s.nextOffsets(), s.eventsApplied());
            if (shard) {
                applied.aggregatesCover(s.nextOffsets());
            }
            LOG.infof("restored checkpoint %s from %s: %d users, %d items, %d events applied, resuming feedback at %s",
                    r.id(), checkpoints.describe(), s.histories().size(), s.vocabulary().size(), s.eventsApplied(),
                    s.nextOffsets());
        });
        Optional<CheckpointImage.ModelState> restoredModel = restored.flatMap(r -> r.state().model());
        Optional<Path> path = config.model().path();
        WorkerConfig.ScorerChoice choice = config.scorer();
        boolean modelAvailable = restoredModel.isPresent() || path.isPresent();
        ModelAssembly assembly = new ModelAssembly(config, metrics, histories, popularity, tables, cooccurrence,
                eventIds, forgotten, () -> backend(config.model()));
        if (!choice.usesModel() || !modelAvailable) {
            Scorer table = tableScorer(choice, modelAvailable, tables, popularity, cooccurrence);
            WorkerModel.State state = new WorkerModel.State(histories, popularity, tables, null, null,
                    ModelFolder.UNKNOWN, null, eventIds,
                    forgotten);
            if (choice == WorkerConfig.ScorerChoice.AUTO && (config.bootstrap().enabled() || replica)) {
                // The table serves until the worker has trained a model of its own (ModelBootstrap), or a
                // follower has found one in the trainer's checkpoints (ReplicaReloader).
                ModelSlot slot = new ModelSlot(table);
                return new WorkerModel(new Recommender(histories, popularity, tables, slot, weights, slot, catalogue,
                        slot), slot, state, assembly);
            }
            return new WorkerModel(new Recommender(histories, popularity, tables, table, weights,
                    FeedbackListener.NONE, catalogue), null, null, state, null);
        }
        PyTorchEngine.load(config.model().cacheDir(), config.model().threads());
        StartingModel start = restoredModel.isPresent()
                ? StartingModel.restored(restored.get().state(), restored.get().id())
                : StartingModel.loaded(path.get());
        ModelAssembly.Assembled m = assembly.assemble(start,
                restored.map(WorkerCheckpoints.Restored::id).orElse(null), replica);
        return new WorkerModel(new Recommender(histories, popularity, tables, m.scorer(), weights, m.listener(),
                catalogue, m.predictions()), m.serving(), m.trainer(), m.state(), m.probe());
    }

    /** What ranks when no model does: one of the online tables, by {@code worker.scorer}. */
    private static Scorer tableScorer(WorkerConfig.ScorerChoice choice, boolean modelAvailable, ItemTables tables,
            PopularityScorer popularity, NeighbourScorer cooccurrence) {
        String chosen = choice.name().toLowerCase(java.util.Locale.ROOT);
        if (choice == WorkerConfig.ScorerChoice.HYBRID || choice == WorkerConfig.ScorerChoice.SASREC) {
            throw new IllegalStateException("worker.scorer=" + chosen
                    + " needs a model: set worker.model.path, or start from a checkpoint that holds one");
        }
        Scorer table = switch (choice) {
            case POPULARITY -> popularity;
            case MARKOV -> NeighbourScorer.markovChain(tables.markov(), popularity);
            default -> cooccurrence;
        };
        LOG.infof("%s answers every request (worker.scorer=%s%s)", table == popularity ? "popularity"
                : table == cooccurrence ? "the co-occurrence table" : "the Markov chain", chosen,
                modelAvailable ? "; the model is not loaded" : ", and no model is configured in worker.model.path");
        return table;
    }

    private synchronized ScoringBackend backend(WorkerConfig.Model model) {
        if (model.backend() == WorkerConfig.Model.Backend.TENSORFLOW) {
            if (tensorflow != null) {
                return tensorflow;
            }
            TensorFlowEngine.load(model.tensorflowCacheDir());
            LOG.info("scoring backend: TensorFlow (graph mode), the same weights as PyTorch's; training stays on PyTorch");
            tensorflow = new TensorFlowBackend();
            return tensorflow;
        }
        return ScoringBackend.PYTORCH;
    }

    void close(@Disposes WorkerModel model) {
        model.close();
        if (tensorflow != null) {
            tensorflow.close();
        }
    }

    /** Item metadata: restored from the checkpoint, then followed by the items consumer; read by scoring. */
    @Produces
    @Singleton
    ItemCatalogue catalogue() {
        return new ItemCatalogue();
    }

    @Produces
    @Singleton
    Recommender recommender(WorkerModel model) {
        return model.recommender();
    }
}
