package dev.recsys.worker;

import java.util.Optional;

import dev.recsys.core.AppliedEventIds;
import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.PopularityScorer;
import dev.recsys.core.Recommender;
import dev.recsys.core.UserHistories;
import dev.recsys.core.neighbours.ItemTables;
import dev.recsys.core.sasrec.BlendGate;
import dev.recsys.core.sasrec.BlendProbe;
import dev.recsys.core.sasrec.SasRecConfig;
import dev.recsys.core.sasrec.OnlineTrainer;
import dev.recsys.core.sasrec.ServingModel;

/** The worker's core and the parts of it that have a life cycle: the served model and its trainer. */
public final class WorkerModel implements AutoCloseable {

    private final Recommender recommender;
    private final ServingModel serving;
    private final OnlineTrainer trainer;
    private final State state;
    private final BlendProbe probe;

    /** @param probe teaches the blend's gate, or null */
    WorkerModel(Recommender recommender, ServingModel serving, OnlineTrainer trainer, State state, BlendProbe probe) {
        this.probe = probe;
        this.recommender = recommender;
        this.serving = serving;
        this.trainer = trainer;
        this.state = state;
    }

    /**
     * The parts every applied event changes, which a checkpoint copies.
     *
     * @param vocabulary  null when popularity serves alone
     * @param modelConfig null when popularity serves alone
     * @param restoredFrom the checkpoint the worker started from, or null
     * @param eventIds     the (user, eventId) pairs applied recently, which the feedback consumer checks
     */
    public record State(UserHistories histories, PopularityScorer popularity, ItemTables tables,
            ItemVocabulary vocabulary, SasRecConfig modelConfig, String restoredFrom, AppliedEventIds eventIds) {
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

    /** Empty when online training is off or there is no model. */
    public Optional<OnlineTrainer> trainer() {
        return Optional.ofNullable(trainer);
    }

    @Override
    public void close() {
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
