package dev.recsys.core.sasrec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.recsys.core.FeedbackListener;
import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.UserHistories;
import dev.recsys.core.UserHistory;
import dev.recsys.core.neighbours.ItemNeighbours;

/**
 * Runs a {@link Refit} on its own thread every {@code everyEvents} positive events: from the snapshot being
 * served, over every history the worker holds, and hands the result to the {@link OnlineTrainer}, which
 * takes it up between two online steps. Serving and online training go on meanwhile; a re-fit that is still
 * running when the next one falls due simply delays it.
 */
public final class Refitter implements FeedbackListener, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Refitter.class.getName());

    private final ServingModel serving;
    private final OnlineTrainer trainer;
    private final ItemVocabulary vocabulary;
    private final UserHistories histories;
    private final ItemNeighbours cooccurrence;
    private final Refit.Settings settings;
    private final long everyEvents;
    private final Thread thread;
    private final Object lock = new Object();
    private long positives;
    private long dueAt;
    private volatile boolean running = true;
    private volatile long refits;
    private volatile double lastSeconds = Double.NaN;

    public Refitter(ServingModel serving, OnlineTrainer trainer, ItemVocabulary vocabulary, UserHistories histories,
            ItemNeighbours cooccurrence, Refit.Settings settings, long everyEvents) {
        if (everyEvents < 1) {
            throw new IllegalArgumentException("a re-fit needs at least 1 event between runs, was " + everyEvents);
        }
        this.serving = serving;
        this.trainer = trainer;
        this.vocabulary = vocabulary;
        this.histories = histories;
        this.cooccurrence = cooccurrence;
        this.settings = settings;
        this.everyEvents = everyEvents;
        this.dueAt = everyEvents;
        this.thread = new Thread(this::run, "model-refit");
        this.thread.setDaemon(true);
    }

    public Refitter start() {
        thread.start();
        return this;
    }

    @Override
    public void positive(String userId, String itemId, long ingestedAtMillis) {
        synchronized (lock) {
            positives++;
            if (positives >= dueAt) {
                lock.notifyAll();
            }
        }
    }

    private void run() {
        while (running) {
            synchronized (lock) {
                while (running && positives < dueAt) {
                    try {
                        lock.wait(1000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                dueAt = positives + everyEvents;
            }
            if (!running) {
                return;
            }
            try {
                refitOnce();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "re-fit failed; serving and online training go on", e);
            }
        }
    }

    /** One re-fit from the served snapshot; the trainer takes the result up between two steps. */
    void refitOnce() {
        Optional<ModelSnapshot> held = serving.acquire();
        if (held.isEmpty()) {
            return;
        }
        SasRecModel.Weights start;
        SasRecConfig config;
        try {
            start = held.get().model().weights();
            config = held.get().model().config();
        } finally {
            held.get().release();
        }
        long t0 = System.nanoTime();
        List<int[]> sequences = new ArrayList<>();
        for (UserHistory.State h : histories.state().values()) {
            int[] rows = h.sequence().stream().mapToInt(vocabulary::row).filter(r -> r > 0).toArray();
            if (rows.length >= 2) {
                sequences.add(rows);
            }
        }
        SasRecModel.Weights refit = Refit.run(config, start, vocabulary, sequences, cooccurrence, settings);
        trainer.adopt(refit);
        refits++;
        lastSeconds = (System.nanoTime() - t0) / 1e9;
        LOG.log(System.Logger.Level.INFO, String.format(java.util.Locale.ROOT,
                "re-fit %d: %d epochs over %d users' histories, %d item rows, %.1f s", refits, settings.epochs(),
                sequences.size(), refit.shapes().get("items")[0], lastSeconds));
    }

    public long refits() {
        return refits;
    }

    /** How long the last re-fit took, or NaN before the first. */
    public double lastSeconds() {
        return lastSeconds;
    }

    @Override
    public void close() {
        running = false;
        synchronized (lock) {
            lock.notifyAll();
        }
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
