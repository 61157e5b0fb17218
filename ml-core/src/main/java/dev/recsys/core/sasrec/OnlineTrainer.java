package dev.recsys.core.sasrec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import dev.recsys.core.FeedbackListener;
import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.UserHistories;

/**
 * Trains the model on live feedback, on its own thread. Users with new positive events queue up
 * ({@link PendingUsers}); each step takes the oldest of them plus a sample of older users from a rehearsal
 * buffer ({@link OnlineBatches}), and every few steps the weights are copied into a {@link ModelSnapshot} that
 * scoring swaps to ({@link SnapshotPublisher}). Checkpoints and re-fits meet the weights between two steps
 * ({@link TrainerHandOffs}). Adam's state lives as long as the trainer. New items get vocabulary rows when
 * their first positive event is applied, and embedding rows at the next step.
 */
public final class OnlineTrainer implements FeedbackListener, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(OnlineTrainer.class.getName());

    private final SasRecModel model;
    private final SasRecTrainer trainer;
    private final ItemVocabulary vocabulary;
    private final OnlineTrainingConfig config;
    private final TrainingListener listener;
    private final RehearsalBuffer rehearsal;
    private final PendingUsers pending;
    private final TrainerHandOffs handOffs;
    private final OnlineBatches batches;
    private final SnapshotPublisher publisher;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long steps;
    /** Why training stopped for good (its weights went non-finite), or null while it runs. */
    private volatile String stopped;
    /** Rows trained offline; set once before start (restore), read by the training thread only after. */
    private int startingRows;
    /** Recent steps' wall time (decayed mean), training thread only: how long one more step holds a snapshot back. */
    private double stepMillis;

    /**
     * @param model the weights to go on training (the trainer owns it from now on; serving gets copies)
     * @param name  what snapshot versions are called: {@code name+steps}
     */
    public OnlineTrainer(SasRecModel model, ItemVocabulary vocabulary, UserHistories histories, ServingModel serving,
            OnlineTrainingConfig config, TrainingListener listener, String name) {
        this.model = model;
        this.trainer = new SasRecTrainer(model);
        this.vocabulary = vocabulary;
        this.config = config;
        this.listener = listener;
        this.pending = new PendingUsers(config.maxPendingUsers(), config.maxPendingBytes());
        this.handOffs = new TrainerHandOffs(pending);
        this.rehearsal = new RehearsalBuffer(config.rehearsalCapacity(), new Random(model.config().seed() + 1));
        this.batches = new OnlineBatches(histories, vocabulary, rehearsal, config, new Random(model.config().seed()));
        this.publisher = new SnapshotPublisher(serving, listener, name,
                config.matureFraction() * WeightHealth.medianItemNorm(model.weights(), model.config().dim()));
        this.startingRows = model.rows();
        this.thread = new Thread(this::run, "online-trainer");
        this.thread.setDaemon(true);
    }

    /**
     * Takes up a checkpoint's optimizer state, step count and offline row count (0: unknown, every row
     * counts as trained offline); call before {@link #start()}.
     */
    public OnlineTrainer restore(OptimizerState optimizer, long stepsTaken, int offlineRows) {
        trainer.restoreOptimizer(optimizer);
        this.steps = stepsTaken;
        if (offlineRows > 0) {
            this.startingRows = Math.min(offlineRows, model.rows());
        }
        return this;
    }

    /**
     * The weights and optimizer state as they are between two steps, for a checkpoint. Training goes on
     * meanwhile; serving never waits for this.
     */
    public CompletableFuture<TrainerState> checkpoint() {
        return handOffs.requestCheckpoint();
    }

    /** What a checkpoint keeps of training: weights and Adam's state, taken together, and the offline rows. */
    public record TrainerState(SasRecModel.Weights weights, OptimizerState optimizer, long steps,
            int startingRows) {
    }

    /**
     * Takes up the weights of a full pass over the histories (a re-fit) between two steps, and publishes them.
     * Items the trainer gave rows after the pass copied the vocabulary keep their online rows; every row the
     * pass trained counts as trained from then on.
     */
    public CompletableFuture<Void> adopt(SasRecModel.Weights weights) {
        return handOffs.requestAdoption(weights);
    }

    public OnlineTrainer start() {
        thread.start();
        return this;
    }

    @Override
    public void positive(String userId, String itemId, long ingestedAtMillis) {
        vocabulary.add(itemId);
        rehearsal.offer(userId);
        pending.add(userId, ingestedAtMillis);
    }

    @Override
    public void forgotten(String userId) {
        pending.remove(userId);
        rehearsal.remove(userId);
    }

    private void run() {
        while (running) {
            Map<String, List<Long>> batch;
            try {
                batch = pending.take(config.usersPerStep(), 500,
                        () -> running && publisher.unpublishedSteps() == 0 && !handOffs.waiting());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            try {
                if (!running || stopped != null) {
                    continue; // events still drain from the queue; serving keeps the last good snapshot
                }
                if (!batch.isEmpty()) {
                    step(batch);
                }
                if (publisher.due(config, pending.isEmpty(), System.currentTimeMillis(), stepMillis)) {
                    publish();
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "online training step failed; going on with the next", e);
                listener.failed(e);
            } finally {
                pending.done();
                answerAdoption();
                answerCheckpoint();
            }
        }
        handOffs.close("online trainer is closed");
    }

    private void step(Map<String, List<Long>> touched) {
        long started = System.nanoTime();
        try {
            trainOn(touched);
        } finally {
            double millis = (System.nanoTime() - started) / 1e6;
            stepMillis = stepMillis == 0 ? millis : 0.8 * stepMillis + 0.2 * millis;
        }
    }

    private void trainOn(Map<String, List<Long>> touched) {
        int rows = vocabulary.rows();
        trainer.growItems(rows);
        OnlineBatches.Batch batch = batches.build(touched, rows);
        if (batch.touched() == 0) {
            return; // first events of new users: nothing to predict yet
        }
        long t0 = System.nanoTime();
        double loss = trainer.step(batch.sequences(), batch.targets());
        if (Double.isNaN(loss)) {
            List<String> broken = WeightHealth.nonFinite(model.weights());
            if (!broken.isEmpty()) {
                stopped = "weights not finite after step " + steps + " in " + broken + "; online training "
                        + "stopped, serving keeps " + publisher.serving();
                throw new ArithmeticException(stopped);
            }
            throw new ArithmeticException("training loss not finite at step " + (steps + 1) + "; step skipped");
        }
        steps++;
        publisher.stepped(batch.ingested());
        listener.stepped(loss, batch.sequences().size(), System.nanoTime() - t0);
    }

    private void publish() {
        try {
            publisher.publish(model, steps, startingRows);
        } catch (ArithmeticException e) {
            // Serving stays on the last finite snapshot; a poisoned one would rank by NaN. Every later step
            // would start from these weights, so training stops here, once, loudly.
            stopped = e.getMessage();
            throw e;
        }
    }

    private void answerCheckpoint() {
        CompletableFuture<TrainerState> request = handOffs.takeCheckpoint();
        if (request != null) {
            try {
                request.complete(new TrainerState(model.weights(), trainer.optimizerState(), steps, startingRows));
            } catch (RuntimeException e) {
                request.completeExceptionally(e);
            }
        }
    }

    private void answerAdoption() {
        TrainerHandOffs.Adoption a = handOffs.takeAdoption();
        if (a == null) {
            return;
        }
        try {
            if (stopped != null) {
                throw new IllegalStateException(stopped);
            }
            int d = model.config().dim();
            int rows = (int) a.weights().shapes().get("items")[0];
            trainer.growItems(rows);
            int current = model.rows();
            float[] online = model.weights().values().get("items");
            Map<String, float[]> values = new LinkedHashMap<>(a.weights().values());
            Map<String, long[]> shapes = new LinkedHashMap<>(a.weights().shapes());
            float[] items = java.util.Arrays.copyOf(values.get("items"), current * d);
            System.arraycopy(online, rows * d, items, rows * d, (current - rows) * d);
            values.put("items", items);
            shapes.put("items", new long[] { current, d });
            model.load(new SasRecModel.Weights(values, shapes));
            startingRows = Math.max(startingRows, rows);
            publish();
            a.done().complete(null);
        } catch (RuntimeException e) {
            a.done().completeExceptionally(e);
        }
    }

    public long steps() {
        return steps;
    }

    /** Why online training has stopped for good, or empty while it runs. */
    public Optional<String> stopped() {
        return Optional.ofNullable(stopped);
    }

    /** True when every event told so far has been trained on and the result is being served. */
    public boolean caughtUp() {
        return pending.idle() && publisher.unpublishedSteps() == 0;
    }

    /**
     * How long the oldest event no step has taken yet has waited, at {@code nowMillis} (0 when none waits):
     * how far training lags the stream, for work that should give way to it.
     */
    public long behindMillis(long nowMillis) {
        long oldest = pending.oldestMillis();
        return oldest == Long.MAX_VALUE ? 0 : Math.max(0, nowMillis - oldest);
    }

    /** Users whose latest events no step has trained on yet. */
    public int pendingUsers() {
        return pending.size();
    }

    /** Users dropped from the queue unstepped, the stream outrunning training past its bounds. */
    public long pendingDropped() {
        return pending.dropped();
    }

    /** Stops after the step in progress; the model is freed. */
    @Override
    public void close() {
        running = false;
        handOffs.close("online trainer is closed");
        pending.wake();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            model.close();
        }
    }
}
