package dev.recsys.worker.model;

import java.util.Optional;

import dev.recsys.core.AppliedEventIds;
import dev.recsys.core.ForgottenUsers;
import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.PopularityScorer;
import dev.recsys.core.UserHistories;
import dev.recsys.core.neighbours.ItemTables;
import dev.recsys.core.recommender.ModelSlot;
import dev.recsys.core.recommender.Recommender;
import dev.recsys.core.sasrec.BlendGate;
import dev.recsys.core.sasrec.BlendProbe;
import dev.recsys.core.sasrec.OnlineTrainer;
import dev.recsys.core.sasrec.SasRecConfig;
import dev.recsys.core.sasrec.ServingModel;

/**
 * The worker's core and the parts of it that have a life cycle: the served model and its trainer. A worker
 * that starts without a model holds a {@link ModelSlot} instead, which a model trained later is installed into.
 */
public final class WorkerModel implements AutoCloseable {

    private final Recommender recommender;
    private final ModelSlot slot;
    private final ModelAssembly assembly;
    private volatile ServingModel serving;
    private volatile OnlineTrainer trainer;
    private volatile State state;
    private volatile BlendProbe probe;
    private boolean closed;
    /** Positive events the installed model was trained on (its copy of the histories), or -1 if unknown. */
    private volatile long fittedAtEvents = -1;

    /** @param probe teaches the blend's gate, or null */
    public WorkerModel(Recommender recommender, ServingModel serving, OnlineTrainer trainer, State state, BlendProbe probe) {
        this.recommender = recommender;
        this.slot = null;
        this.assembly = null;
        this.probe = probe;
        this.serving = serving;
        this.trainer = trainer;
        this.state = state;
    }

    /**
     * A worker without a model yet, whose recommender scores and listens through {@code slot}.
     *
     * @param assembly builds a trained model's serving and training parts around this worker's state
     */
    public WorkerModel(Recommender recommender, ModelSlot slot, State state, ModelAssembly assembly) {
        this.recommender = recommender;
        this.slot = slot;
        this.state = state;
        this.assembly = assembly;
    }

    /** Empty unless the worker started without a model and one may still be installed. */
    public Optional<ModelSlot> awaitingModel() {
        return Optional.ofNullable(slot).filter(s -> !s.filled());
    }

    /**
     * Puts a model the worker trained itself in service: serving, training, and in the next checkpoint.
     *
     * @param fittedAtEvents the positive events the worker held when it copied the histories trained on
     */
    synchronized void install(StartingModel trained, long fittedAtEvents) {
        fill(trained, null, false, fittedAtEvents);
    }

    /**
     * Puts the model of another worker's checkpoint in service on a replica or shard that started before
     * there was one: serving only, its weights then follow newer checkpoints.
     */
    public synchronized void follow(StartingModel restored, String checkpointId) {
        fill(restored, checkpointId, true, -1);
    }

    private void fill(StartingModel start, String checkpointId, boolean follower,
            long fittedAtEvents) {
        if (awaitingModel().isEmpty()) {
            throw new IllegalStateException("this worker has a model already");
        }
        ModelAssembly.Assembled model = assembly.assemble(start, checkpointId, follower);
        if (closed) {
            closeAll(model.probe(), model.trainer(), model.serving());
            return;
        }
        // Serving and trainer before the state that names the model: a checkpoint reads the state first.
        serving = model.serving();
        trainer = model.trainer();
        probe = model.probe();
        state = model.state();
        this.fittedAtEvents = fittedAtEvents;
        slot.fill(new ModelSlot.Filling(model.scorer(), model.listener(), model.predictions()));
    }

    /** Positive events the model was last trained on in full, or -1 when the worker started with it. */
    public long fittedAtEvents() {
        return fittedAtEvents;
    }

    /**
     * The parts every applied event changes, which a checkpoint copies.
     *
     * @param vocabulary  null when popularity serves alone
     * @param modelConfig null when popularity serves alone
     * @param restoredFrom the checkpoint the worker started from, or null
     * @param eventIds     the (user, eventId) pairs applied recently, which the feedback consumer checks
     * @param forgotten    forget requests applied, which the checkpointer watches
     */
    public record State(UserHistories histories, PopularityScorer popularity, ItemTables tables,
            ItemVocabulary vocabulary, SasRecConfig modelConfig, long fittedThroughMillis, String restoredFrom,
            AppliedEventIds eventIds, ForgottenUsers forgotten) {
    }

    public State state() {
        return state;
    }

    public Recommender recommender() {
        return recommender;
    }

    /** Empty when popularity serves alone. */
    public Optional<ServingModel> serving() {
        return Optional.ofNullable(serving);
    }

    /** The blend's learnt share; empty when nothing is blended or the share is fixed. */
    public Optional<BlendGate> blendGate() {
        return Optional.ofNullable(probe).map(BlendProbe::gate);
    }

    /** The blend's probe, which teaches its gate; empty when nothing is blended or the share is fixed. */
    public Optional<BlendProbe> blendProbe() {
        return Optional.ofNullable(probe);
    }

    /** Empty when online training is off or there is no model. */
    public Optional<OnlineTrainer> trainer() {
        return Optional.ofNullable(trainer);
    }

    @Override
    public synchronized void close() {
        closed = true;
        closeAll(probe, trainer, serving);
    }

    /** The probe first (it scores on the snapshot), then the trainer (it publishes to serving), then serving. */
    private static void closeAll(BlendProbe probe, OnlineTrainer trainer, ServingModel serving) {
        if (probe != null) {
            probe.close();
        }
        if (trainer != null) {
            trainer.close();
        }
        if (serving != null) {
            serving.close();
        }
    }
}
