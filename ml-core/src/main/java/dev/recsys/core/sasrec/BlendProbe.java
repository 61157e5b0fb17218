package dev.recsys.core.sasrec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.neighbours.Votes;
import dev.recsys.core.recommender.PredictionProbe;

/**
 * Teaches a {@link BlendGate} from the stream: takes a few positive events per second (with what the
 * co-occurrence table predicted for them, worked out before they were applied), asks the served snapshot in
 * one batched forward pass what it predicted for the same histories, and gives the gate both predictions and
 * what the user really did. Bounded on both sides: at most {@code maxPerSecond} events are taken on the
 * feedback path, and the forward passes run on this probe's own thread, a batch at a time.
 * <p>
 * Only events newer than the model's fit ({@code fittedThroughMillis}) are evidence: on the events a model
 * was trained on it ranks far better than on new ones, and a gate taught there trusts it too much (measured:
 * a worker warm-started from a model fitted on the log it then consumed chose the model alone after 132
 * samples of that log, and ranked 8% below the table for the first third of the replay).
 */
public final class BlendProbe implements PredictionProbe, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(BlendProbe.class.getName());
    private static final int BATCH = 64;

    private record Sample(List<String> before, String item, Votes table, int tableRank) {
    }

    private final BlendGate gate;
    private final ServingModel serving;
    private final ItemVocabulary vocabulary;
    private final ScoringBackend backend;
    private final long nanosBetweenSamples;
    private final long fittedThroughMillis;
    private final AtomicLong inSample = new AtomicLong();
    private final BlockingQueue<Sample> queue = new ArrayBlockingQueue<>(4 * BATCH);
    private final Thread thread;
    private volatile boolean running = true;
    private long lastSample = System.nanoTime();

    /** A probe for a model whose fit is not known to have seen any of the stream's events. */
    public BlendProbe(BlendGate gate, ServingModel serving, ItemVocabulary vocabulary, ScoringBackend backend,
            int maxPerSecond) {
        this(gate, serving, vocabulary, backend, maxPerSecond, ModelFolder.UNKNOWN);
    }

    /**
     * @param fittedThroughMillis the newest event time (epoch milliseconds) the served model was fitted on;
     *                            events up to it are not sampled. {@link ModelFolder#UNKNOWN} when not known.
     */
    public BlendProbe(BlendGate gate, ServingModel serving, ItemVocabulary vocabulary, ScoringBackend backend,
            int maxPerSecond, long fittedThroughMillis) {
        if (maxPerSecond < 1) {
            throw new IllegalArgumentException("the probe needs at least 1 sample per second, was " + maxPerSecond);
        }
        this.gate = gate;
        this.serving = serving;
        this.vocabulary = vocabulary;
        this.backend = backend;
        this.nanosBetweenSamples = 1_000_000_000L / maxPerSecond;
        this.fittedThroughMillis = fittedThroughMillis;
        this.thread = new Thread(this::run, "blend-probe");
        this.thread.setDaemon(true);
    }

    public BlendGate gate() {
        return gate;
    }

    /** Events passed over because the model was fitted on them (or on newer ones). */
    public long inSampleSkipped() {
        return inSample.get();
    }

    public BlendProbe start() {
        thread.start();
        return this;
    }

    /** Called by the feedback thread only. */
    @Override
    public boolean wantsSample(long eventTimeMillis) {
        if (eventTimeMillis <= fittedThroughMillis) {
            inSample.incrementAndGet();
            return false;
        }
        long now = System.nanoTime();
        if (now - lastSample < nanosBetweenSamples || queue.remainingCapacity() == 0) {
            return false;
        }
        lastSample = now;
        return true;
    }

    @Override
    public void offer(List<String> before, String item, Votes tableDistribution, int tableRank) {
        queue.offer(new Sample(before, item, tableDistribution, tableRank));
    }

    private void run() {
        List<Sample> batch = new ArrayList<>(BATCH);
        while (running) {
            try {
                Sample first = queue.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                teach(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "blend probe: a batch failed; the gate keeps its weight", e);
            } finally {
                batch.clear();
            }
        }
    }

    /** One forward pass for the batch on the served snapshot, then one gate update per sample. */
    void teach(List<Sample> samples) {
        Optional<ModelSnapshot> held = serving.acquire();
        if (held.isEmpty()) {
            return;
        }
        ModelSnapshot snapshot = held.get();
        try {
            List<int[]> histories = new ArrayList<>();
            List<Sample> modelled = new ArrayList<>();
            for (Sample s : samples) {
                int[] known = s.before().stream().mapToInt(vocabulary::row).filter(snapshot::mature).toArray();
                // Without a known item the blend is not asked (the table answers alone): no evidence.
                if (known.length > 0) {
                    histories.add(known);
                    modelled.add(s);
                }
            }
            if (histories.isEmpty()) {
                return;
            }
            float[][] logits = backend.scores(snapshot, histories);
            for (int i = 0; i < modelled.size(); i++) {
                Sample s = modelled.get(i);
                int rows = Math.max(logits[i].length, vocabulary.rows());
                float[] model = NeighbourBlend.softmax(logits[i], snapshot::mature, rows);
                float[] table = new float[rows];
                s.table().forEach((item, p) -> {
                    int r = vocabulary.row(item);
                    if (r > 0 && r < rows) {
                        table[r] = (float) p;
                    }
                });
                boolean[] excluded = new boolean[rows];
                for (String seen : s.before()) {
                    int r = vocabulary.row(seen);
                    if (r > 0 && r < rows) {
                        excluded[r] = true;
                    }
                }
                gate.observe(table, model, vocabulary.row(s.item()), excluded, s.before().size(), s.tableRank());
            }
        } finally {
            snapshot.release();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
