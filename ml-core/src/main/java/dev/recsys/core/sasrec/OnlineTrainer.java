package dev.recsys.core.sasrec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import dev.recsys.core.FeedbackListener;
import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.UserHistories;

/**
 * Trains the model on live feedback, on its own thread. Users with new positive events queue up (a user
 * touched ten times before the next step is trained once, on the latest sequence); each step takes the
 * oldest of them plus a sample of older users from a replay buffer, and every few steps the weights are
 * copied into a {@link ModelSnapshot} that scoring swaps to. Adam's state lives as long as the trainer.
 * New items get vocabulary rows when their first positive event is applied, and embedding rows at the
 * next step.
 */
public final class OnlineTrainer implements FeedbackListener, AutoCloseable {

    private static final int MAX_TIMES_PER_USER = 1000;
    private static final System.Logger LOG = System.getLogger(OnlineTrainer.class.getName());

    private final SasRecModel model;
    private final SasRecTrainer trainer;
    private final ItemVocabulary vocabulary;
    private final UserHistories histories;
    private final ServingModel serving;
    private final OnlineTrainingConfig config;
    private final TrainingListener listener;
    private final String name;
    private final ReplayBuffer replay;
    private final Random random;
    private final long startedAtMillis = System.currentTimeMillis();

    private final Object lock = new Object();
    /** Users with untrained events, oldest first, with those events' ingest times. */
    private final LinkedHashMap<String, List<Long>> pending = new LinkedHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    /** A step or publish is under way (guarded by lock). */
    private boolean busy;
    private volatile long steps;
    /** Why training stopped for good (its weights went non-finite), or null while it runs. */
    private volatile String stopped;
    private int stepsSincePublish;
    /** Rows trained offline; set once before start (restore), read by the training thread only after. */
    private int startingRows;
    /** A grown row stands for its item in inputs once its norm reaches this (see ModelSnapshot#mature). */
    private final double matureNorm;
    private final List<Long> trainedSincePublish = new ArrayList<>();
    /** A checkpoint's request for the training state, answered between two steps (guarded by lock). */
    private java.util.concurrent.CompletableFuture<TrainerState> checkpointRequest;
    /** Weights from a full pass to take up between two steps (guarded by lock). */
    private Adoption adoption;

    /**
     * @param model the weights to go on training (the trainer owns it from now on; serving gets copies)
     * @param name  what snapshot versions are called: {@code name+steps}
     */
    public OnlineTrainer(SasRecModel model, ItemVocabulary vocabulary, UserHistories histories, ServingModel serving,
            OnlineTrainingConfig config, TrainingListener listener, String name) {
        this.model = model;
        this.trainer = new SasRecTrainer(model);
        this.vocabulary = vocabulary;
        this.histories = histories;
        this.serving = serving;
        this.config = config;
        this.listener = listener;
        this.name = name;
        this.random = new Random(model.config().seed());
        this.replay = new ReplayBuffer(config.replayCapacity(), new Random(model.config().seed() + 1));
        this.startingRows = model.rows();
        this.matureNorm = config.matureFraction() * medianItemNorm(model.weights(), model.config().dim());
        this.thread = new Thread(this::run, "online-trainer");
        this.thread.setDaemon(true);
    }

    /**
     * Takes up a checkpoint's optimizer state, step count and offline row count (0: unknown, every row
     * counts as trained offline); call before {@link #start()}.
     */
    public OnlineTrainer restore(SasRecTrainer.OptimizerState optimizer, long stepsTaken, int offlineRows) {
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
    public java.util.concurrent.CompletableFuture<TrainerState> checkpoint() {
        synchronized (lock) {
            if (!running) {
                return java.util.concurrent.CompletableFuture.failedFuture(
                        new IllegalStateException("online trainer is closed"));
            }
            if (checkpointRequest == null) {
                checkpointRequest = new java.util.concurrent.CompletableFuture<>();
            }
            lock.notifyAll();
            return checkpointRequest;
        }
    }

    /** What a checkpoint keeps of training: weights and Adam's state, taken together, and the offline rows. */
    public record TrainerState(SasRecModel.Weights weights, SasRecTrainer.OptimizerState optimizer, long steps,
            int startingRows) {
    }

    private void answerCheckpoint() {
        java.util.concurrent.CompletableFuture<TrainerState> request;
        synchronized (lock) {
            request = checkpointRequest;
            checkpointRequest = null;
        }
        if (request != null) {
            try {
                request.complete(new TrainerState(model.weights(), trainer.optimizerState(), steps, startingRows));
            } catch (RuntimeException e) {
                request.completeExceptionally(e);
            }
        }
    }

    /**
     * Takes up the weights of a full pass over the histories (a re-fit) between two steps, and publishes them.
     * Items the trainer gave rows after the pass copied the vocabulary keep their online rows; every row the
     * pass trained counts as trained from then on.
     */
    public java.util.concurrent.CompletableFuture<Void> adopt(SasRecModel.Weights weights) {
        synchronized (lock) {
            if (!running) {
                return java.util.concurrent.CompletableFuture.failedFuture(
                        new IllegalStateException("online trainer is closed"));
            }
            if (adoption != null) {
                adoption.done.completeExceptionally(new IllegalStateException("replaced by newer weights"));
            }
            adoption = new Adoption(weights, new java.util.concurrent.CompletableFuture<>());
            lock.notifyAll();
            return adoption.done;
        }
    }

    private record Adoption(SasRecModel.Weights weights, java.util.concurrent.CompletableFuture<Void> done) {
    }

    private void answerAdoption() {
        Adoption a;
        synchronized (lock) {
            a = adoption;
            adoption = null;
        }
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

    public OnlineTrainer start() {
        thread.start();
        return this;
    }

    @Override
    public void positive(String userId, String itemId, long ingestedAtMillis) {
        vocabulary.add(itemId);
        replay.offer(userId);
        synchronized (lock) {
            List<Long> times = pending.computeIfAbsent(userId, u -> new ArrayList<>(2));
            // Only freshness reads these; a user flooding faster than training keeps the oldest.
            if (times.size() < MAX_TIMES_PER_USER) {
                times.add(ingestedAtMillis);
            }
            lock.notifyAll();
        }
    }

    private void run() {
        while (running) {
            Map<String, List<Long>> batch = take();
            if (batch == null) {
                continue;
            }
            try {
                if (stopped != null) {
                    continue; // events still drain from the queue; serving keeps the last good snapshot
                }
                if (!batch.isEmpty()) {
                    step(batch);
                }
                if (stepsSincePublish > 0 && (stepsSincePublish >= config.publishEverySteps() || idle())) {
                    publish();
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "online training step failed; going on with the next", e);
                listener.failed(e);
            } finally {
                synchronized (lock) {
                    busy = false;
                }
                answerAdoption();
                answerCheckpoint();
            }
        }
        java.util.concurrent.CompletableFuture<TrainerState> unanswered;
        synchronized (lock) {
            unanswered = checkpointRequest;
            checkpointRequest = null;
        }
        if (unanswered != null) {
            unanswered.completeExceptionally(new IllegalStateException("online trainer closed"));
        }
        Adoption leftover;
        synchronized (lock) {
            leftover = adoption;
            adoption = null;
        }
        if (leftover != null) {
            leftover.done().completeExceptionally(new IllegalStateException("online trainer closed"));
        }
    }

    /** The oldest pending users; empty when there is nothing to train but a publish may be due; null on stop. */
    private Map<String, List<Long>> take() {
        synchronized (lock) {
            while (running && pending.isEmpty() && stepsSincePublish == 0 && checkpointRequest == null
                    && adoption == null) {
                try {
                    lock.wait(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            if (!running) {
                return null;
            }
            Map<String, List<Long>> out = new LinkedHashMap<>();
            Iterator<Map.Entry<String, List<Long>>> it = pending.entrySet().iterator();
            while (it.hasNext() && out.size() < config.usersPerStep()) {
                Map.Entry<String, List<Long>> e = it.next();
                out.put(e.getKey(), e.getValue());
                it.remove();
            }
            busy = true;
            return out;
        }
    }

    private boolean idle() {
        synchronized (lock) {
            return pending.isEmpty();
        }
    }

    private void step(Map<String, List<Long>> touched) {
        int rows = vocabulary.rows();
        trainer.growItems(rows);
        List<int[]> sequences = new ArrayList<>();
        List<Integer> targets = new ArrayList<>();
        List<Long> ingested = new ArrayList<>();
        for (var e : touched.entrySet()) {
            Optional<int[]> s = sequence(e.getKey(), rows);
            if (s.isPresent()) {
                sequences.add(s.get());
                // Only the transitions to the new events: a user in a long session is touched again and
                // again, and re-training its older transitions each time overfits the model to whoever is
                // active (measured in the replay: HR@10 fell to a quarter of the frozen model's).
                targets.add(Math.min(e.getValue().size(), config.lastTargets()));
                ingested.addAll(e.getValue());
            }
        }
        int touchedSequences = sequences.size();
        Set<String> drawn = new HashSet<>(touched.keySet());
        for (int i = 0; i < config.replayPerStep(); i++) {
            Optional<String> user = replay.sample();
            if (user.isPresent() && drawn.add(user.get())) {
                // A random prefix, so that replay revisits every part of old histories, not only their ends.
                Optional<int[]> s = sequence(user.get(), rows)
                        .map(all -> java.util.Arrays.copyOf(all, 2 + random.nextInt(all.length - 1)));
                if (s.isPresent()) {
                    sequences.add(s.get());
                    targets.add(config.lastTargets());
                }
            }
        }
        if (touchedSequences == 0) {
            return; // first events of new users: nothing to predict yet
        }
        long t0 = System.nanoTime();
        double loss = trainer.step(sequences, targets.stream().mapToInt(Integer::intValue).toArray());
        if (Double.isNaN(loss)) {
            List<String> broken = nonFinite(model.weights());
            if (!broken.isEmpty()) {
                stopped = "weights not finite after step " + steps + " in " + broken + "; online training "
                        + "stopped, serving keeps " + serving.version().orElse("no snapshot");
                throw new ArithmeticException(stopped);
            }
            throw new ArithmeticException("training loss not finite at step " + (steps + 1) + "; step skipped");
        }
        steps++;
        stepsSincePublish++;
        trainedSincePublish.addAll(ingested);
        listener.stepped(loss, sequences.size(), System.nanoTime() - t0);
    }

    private static List<String> nonFinite(SasRecModel.Weights weights) {
        List<String> out = new ArrayList<>();
        for (var e : weights.values().entrySet()) {
            for (float v : e.getValue()) {
                if (!Float.isFinite(v)) {
                    out.add(e.getKey());
                    break;
                }
            }
        }
        return out;
    }

    /** Rows of the starting model, and grown rows whose norm has reached {@code matureNorm}. */
    private boolean[] matureRows(SasRecModel.Weights weights) {
        int d = model.config().dim();
        float[] items = weights.values().get("items");
        boolean[] mature = new boolean[items.length / d];
        for (int r = 1; r < mature.length; r++) {
            mature[r] = r < startingRows || norm(items, r, d) >= matureNorm;
        }
        return mature;
    }

    private static double norm(float[] table, int row, int d) {
        double sum = 0;
        for (int i = row * d; i < (row + 1) * d; i++) {
            sum += table[i] * table[i];
        }
        return Math.sqrt(sum);
    }

    private static double medianItemNorm(SasRecModel.Weights weights, int d) {
        float[] items = weights.values().get("items");
        double[] norms = new double[items.length / d - 1];
        for (int r = 1; r <= norms.length; r++) {
            norms[r - 1] = norm(items, r, d);
        }
        java.util.Arrays.sort(norms);
        return norms.length == 0 ? 0 : norms[norms.length / 2];
    }

    /** The user's positive items as rows the model has, oldest first; empty if fewer than two. */
    private Optional<int[]> sequence(String user, int rows) {
        int[] s = histories.snapshot(user).sequence().stream().mapToInt(vocabulary::row)
                .filter(r -> r > 0 && r < rows).toArray();
        return s.length < 2 ? Optional.empty() : Optional.of(s);
    }

    private void publish() {
        long now = System.currentTimeMillis();
        SasRecModel.Weights weights = model.weights();
        List<String> broken = nonFinite(weights);
        if (!broken.isEmpty()) {
            // Serving stays on the last finite snapshot; a poisoned one would rank by NaN. Every later step
            // would start from these weights, so training stops here, once, loudly.
            trainedSincePublish.clear();
            stepsSincePublish = 0;
            stopped = "weights not finite after step " + steps + " in " + broken + "; online training stopped, "
                    + "serving keeps " + serving.version().orElse("no snapshot");
            throw new ArithmeticException(stopped);
        }
        SasRecModel copy = SasRecModel.of(model.config(), weights);
        ModelSnapshot snapshot = new ModelSnapshot(copy, name + "+" + steps, now, matureRows(weights));
        serving.publish(snapshot);
        long[] fresh = trainedSincePublish.stream().mapToLong(Long::longValue).filter(t -> t >= startedAtMillis)
                .toArray();
        trainedSincePublish.clear();
        stepsSincePublish = 0;
        listener.published(snapshot, fresh);
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
        synchronized (lock) {
            return pending.isEmpty() && !busy && stepsSincePublish == 0;
        }
    }

    /** Users whose latest events no step has trained on yet. */
    public int pendingUsers() {
        synchronized (lock) {
            return pending.size();
        }
    }

    /** Stops after the step in progress; the model is freed. */
    @Override
    public void close() {
        running = false;
        synchronized (lock) {
            lock.notifyAll();
        }
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
