package dev.recsys.stack.replay;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.recsys.core.quality.ItemTraits;
import dev.recsys.core.quality.ListQuality;
import dev.recsys.core.quality.ListSums;
import dev.recsys.core.quality.StreamQuality;
import dev.recsys.core.quality.TableComparison;
import dev.recsys.eval.Dataset.Interaction;
import dev.recsys.stack.CpuUse;
import dev.recsys.stack.HarnessPriority;
import dev.recsys.stack.LocalStack;
import dev.recsys.stack.client.HttpConnection;
import dev.recsys.stack.client.MetricsScrape;
import dev.recsys.stack.client.WorkerHealth;
import dev.recsys.wire.ScoreReply;
import dev.recsys.wire.ScoredItem;

/**
 * One variant of the replay on its own fresh stack: preload the warm part, then for each test event ask
 * {@code recommend} for that user first, score whether the event's item is in the top 10 (test, then
 * train), then ingest it. Lanes run users in parallel, each user's events in order; with a rate, every
 * event waits for its slot in the timeline, which keeps the lanes in step.
 * <p>
 * A tool, not the product, over 300 lines: one run's phases (start, preload, replay, probes, metrics) read
 * in the order they happen.
 */
final class ReplayVariant {

    static final int K = 10;
    private static final String CONSUMED = "worker_feedback_events_total{outcome=\"consumed\"}";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The figures of one variant. */
    record Result(String name, String modelVersion, double absorbEventsPerSecond, double absorbRecommendsPerSecond,
            long scored, double hr10, double ndcg10, double[] windowHr10,
            double[] windowNdcg10, double eventsPerSecond, double recommendP50, double recommendP99, double ingestP50,
            double ingestP99, long errors, double freshIngestP50, double freshIngestP99, int freshProbes,
            int freshTimeouts, double freshTrainP50, double freshTrainP99, long freshTrainEvents, double trainingSteps,
            ListQuality quality, ListQuality[] windowQuality, String cpu, Paired paired) {
    }

    /**
     * The worker's own paired comparison over the replay (worker_quality_paired_*): each blended list beside the
     * table's list for the same request, both scored by the same next positive event; null when nothing blended.
     *
     * @param differenceStandardError of the mean of (served - table) NDCG@10 over the pairs
     */
    record Paired(long outcomes, long differing, double servedNdcg10, double tableNdcg10,
            double differenceStandardError) {

        static Paired since(MetricsScrape before, MetricsScrape after) {
            String outcomes = "worker_quality_paired_outcomes_total";
            double n = after.sum(outcomes) - before.sum(outcomes);
            if (!(n > 0)) {
                return null;
            }
            String gain = "worker_quality_paired_gain_total";
            double served = after.sumWhere(gain, "list=\"served\"") - before.sumWhere(gain, "list=\"served\"");
            double table = after.sumWhere(gain, "list=\"table\"") - before.sumWhere(gain, "list=\"table\"");
            String squares = "worker_quality_paired_difference_squares_total";
            double q = after.sum(squares) - before.sum(squares);
            String differing = "worker_quality_paired_differing_total";
            return new Paired((long) n, (long) (after.sum(differing) - before.sum(differing)), served / n, table / n,
                    TableComparison.standardError((long) n, served - table, q));
        }
    }

    private final String name;
    private final Map<String, String> workerConfig;
    private final ReplayData data;
    private final ReplayBenchmark.Options options;
    private final ItemTraits traits;
    /** The load generator, functions and broker below the worker: its own machine in the design. */
    private final HarnessPriority priority;
    /** The five measures of the lists this variant gave, followed user by user (docs/model.md). */
    private final StreamQuality quality = new StreamQuality(Integer.MAX_VALUE, Integer.MAX_VALUE);

    ReplayVariant(String name, Map<String, String> workerConfig, ReplayData data, ReplayBenchmark.Options options,
            ItemTraits traits) {
        this.name = name;
        this.traits = traits;
        this.workerConfig = workerConfig;
        this.data = data;
        this.options = options;
        this.priority = new HarnessPriority(options.harnessNice);
    }

    Result run(Path root, Path runDir) throws Exception {
        System.out.printf("%n[%s] starting broker, worker (%s) and functions%n", name, workerConfig);
        try (LocalStack stack = LocalStack.start(root, runDir, LocalStack.Ports.free(), workerConfig)) {
            priority.lowerProcess(stack.brokerPid());
            priority.lowerProcess(stack.functionsPid());
            URI functions = URI.create(stack.functionsUrl());
            Absorb absorb = preload(functions, stack.workerUrl());
            awaitWorker(stack.workerUrl(), data.warm.size());
            MetricsScrape before = MetricsScrape.of(stack.workerUrl());

            Lanes lanes = new Lanes(functions);
            CpuUse use = CpuUse.start(stack);
            long t0 = System.nanoTime();
            lanes.run();
            double seconds = (System.nanoTime() - t0) / 1e9;
            String cpu = use.since(6);
            System.out.printf("[%s] during the replay: %s%n", name, cpu);
            awaitWorker(stack.workerUrl(), data.warm.size() + data.test.size());
            MetricsScrape after = MetricsScrape.of(stack.workerUrl());
            double steps = after.countSince(before, "worker_training_step_seconds");
            if (steps > 0) {
                // Where an event's wait for trained weights goes: the steps it waits behind and its own.
                // Steps alone do not say how much was trained: a step takes up to 16 waiting users, fewer
                // when training keeps ahead of the stream, so sequences per replayed event go beside them.
                double sequences = after.sum("worker_training_sequences_total")
                        - before.sum("worker_training_sequences_total");
                System.out.printf(Locale.ROOT, "[%s] online step p50 / p99 %.0f / %.0f ms over %,.0f steps "
                        + "(%.3f a replayed event), %,.0f sequences (%.2f a replayed event); "
                        + "re-fits %,.0f (accepted %,.0f)%n", name,
                        after.quantileSince(before, "worker_training_step_seconds", 0.5) * 1000,
                        after.quantileSince(before, "worker_training_step_seconds", 0.99) * 1000,
                        steps, steps / data.test.size(), sequences, sequences / data.test.size(),
                        after.sum("worker_refits_total") - before.sum("worker_refits_total"),
                        after.sumWhere("worker_refits_total", "outcome=\"accepted\"")
                                - before.sumWhere("worker_refits_total", "outcome=\"accepted\""));
            }

            Probes probes = freshness(functions);
            double[] windowHr = new double[options.windows];
            double[] windowNdcg = new double[options.windows];
            for (int w = 0; w < options.windows; w++) {
                long n = lanes.windowScored[w].get();
                windowHr[w] = n == 0 ? Double.NaN : lanes.windowHits[w].get() / (double) n;
                windowNdcg[w] = n == 0 ? Double.NaN : lanes.windowGain[w].get() / 1e9 / n;
            }
            long scored = lanes.scored.get();
            ListQuality[] windowQuality = new ListQuality[options.windows];
            for (int w = 0; w < options.windows; w++) {
                windowQuality[w] = quality.summary(lanes.windowQuality[w]);
            }
            return new Result(name, lanes.lastVersion, absorb.eventsPerSecond, absorb.recommendsPerSecond, scored, lanes.hits.get() / (double) scored,
                    lanes.gain.get() / 1e9 / scored, windowHr, windowNdcg, data.test.size() / seconds,
                    ms(lanes.recommend, 50), ms(lanes.recommend, 99), ms(lanes.ingest, 50), ms(lanes.ingest, 99),
                    lanes.errors.get(), ms(probes.latency, 50), ms(probes.latency, 99), probes.done, probes.timeouts,
                    after.quantileSince(before, "worker_training_freshness_seconds", 0.5) * 1000,
                    after.quantileSince(before, "worker_training_freshness_seconds", 0.99) * 1000,
                    (long) after.countSince(before, "worker_training_freshness_seconds"),
                    after.value("worker_training_steps_total"), quality.summary(ListSums.of(lanes.windowQuality)),
                    windowQuality, cpu, Paired.since(before, after));
        }
    }

    private static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    /** How fast the worker took in the preload while answering recommend requests. */
    record Absorb(double eventsPerSecond, double recommendsPerSecond) {
    }

    /**
     * The warm part in large batches, so the variants start from the same histories, with one client asking
     * for recommendations all along: how fast the worker absorbs feedback while it serves.
     */
    private Absorb preload(URI functions, String workerUrl) throws Exception {
        java.util.concurrent.atomic.AtomicBoolean serving = new java.util.concurrent.atomic.AtomicBoolean(true);
        AtomicLong answered = new AtomicLong();
        Thread asker = new Thread(() -> {
            byte[] ask = "{\"userId\":\"preload-probe\",\"k\":10}".getBytes(StandardCharsets.UTF_8);
            try (HttpConnection c = new HttpConnection(functions)) {
                while (serving.get()) {
                    if (c.post("/recommend", ask) == 200) {
                        answered.incrementAndGet();
                    }
                }
            } catch (IOException e) {
                System.out.println("[" + name + "] recommend during preload failed: " + e);
            }
        }, "preload-recommend");
        long t0 = System.nanoTime();
        asker.start();
        try (HttpConnection c = new HttpConnection(functions)) {
            int batch = 1000;
            for (int i = 0; i < data.warm.size(); i += batch) {
                StringBuilder body = new StringBuilder("[");
                for (int j = i; j < Math.min(data.warm.size(), i + batch); j++) {
                    body.append(j > i ? "," : "").append(ReplayData.json(data.warm.get(j)));
                }
                int status = c.post("/ingest", body.append(']').toString().getBytes(StandardCharsets.UTF_8));
                if (status != 202) {
                    throw new IOException("preload: ingest answered " + status);
                }
                for (int j = i; j < Math.min(data.warm.size(), i + batch); j++) {
                    Interaction e = data.warm.get(j);
                    quality.applied(e.user(), e.item(), data.positive(e));
                }
            }
        }
        long deadline = System.nanoTime() + options.settleSeconds * 1_000_000_000L;
        while (MetricsScrape.of(workerUrl).value(CONSUMED) < data.warm.size()
                && System.nanoTime() < deadline) {
            Thread.sleep(100); // each scrape costs the worker a little: not too often

        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        serving.set(false);
        asker.join();
        if (name.equals("bootstrap")) {
            awaitOwnModel(workerUrl);
        }
        Absorb absorb = new Absorb(data.warm.size() / seconds, answered.get() / seconds);
        System.out.printf(Locale.ROOT, "[%s] preloaded %,d warm events: worker absorbed %.0f events/s while answering "
                + "%.0f recommend/s%n", name, data.warm.size(), absorb.eventsPerSecond, absorb.recommendsPerSecond);
        return absorb;
    }

    /**
     * The bootstrap variant replays once the worker serves the model it trained from the warm part (as the
     * online variant replays once its warm model is loaded), within the settle bound.
     */
    private void awaitOwnModel(String workerUrl) throws InterruptedException {
        long t0 = System.nanoTime();
        if (WorkerHealth.await(workerUrl, WorkerHealth::servesModel, Duration.ofSeconds(options.settleSeconds))) {
            System.out.printf(Locale.ROOT, "[%s] the worker's own model serves after %.0f s%n", name,
                    (System.nanoTime() - t0) / 1e9);
        } else {
            System.out.printf("[%s] no model of its own after %d s; replaying with what serves%n", name,
                    options.settleSeconds);
        }
    }

    /** Waits until the worker has consumed {@code events} and online training has caught up. */
    private void awaitWorker(String workerUrl, long events) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + options.settleSeconds * 1_000_000_000L;
        while (true) {
            MetricsScrape m = MetricsScrape.of(workerUrl);
            double consumed = m.value(CONSUMED);
            double pending = m.value("worker_training_pending_users");
            if (consumed >= events && !(pending > 0)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                System.out.printf("[%s] worker not settled after %d s (consumed %.0f of %d, %.0f users pending); "
                        + "going on%n", name, options.settleSeconds, consumed, events, pending);
                return;
            }
            Thread.sleep(200);
        }
    }

    /** The test part, test-then-train, on parallel lanes. */
    final class Lanes {
        final URI functions;
        final AtomicLong scored = new AtomicLong();
        final AtomicLong hits = new AtomicLong();
        /** Sum of NDCG gains, in billionths, so that lanes can add without a lock. */
        final AtomicLong gain = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong[] windowScored = counters(options.windows);
        final AtomicLong[] windowHits = counters(options.windows);
        final AtomicLong[] windowGain = counters(options.windows);
        final ListSums[] windowQuality = sums(options.windows);
        final Histogram recommend = new Histogram(60_000_000L, 3);
        final Histogram ingest = new Histogram(60_000_000L, 3);
        final AtomicLong done = new AtomicLong();
        volatile String lastVersion = "";

        Lanes(URI functions) {
            this.functions = functions;
        }

        void run() throws Exception {
            int lanes = options.lanes;
            List<List<Integer>> byLane = new ArrayList<>();
            for (int l = 0; l < lanes; l++) {
                byLane.add(new ArrayList<>());
            }
            for (int i = 0; i < data.test.size(); i++) {
                byLane.get(Math.floorMod(data.test.get(i).user().hashCode(), lanes)).add(i);
            }
            long start = System.nanoTime();
            List<Thread> threads = new ArrayList<>();
            List<Exception> failures = new ArrayList<>();
            for (List<Integer> events : byLane) {
                Thread t = new Thread(() -> {
                    try {
                        priority.lowerCurrentThread();
                        lane(events, start);
                    } catch (Exception e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                }, "replay-lane");
                threads.add(t);
                t.start();
            }
            Thread progress = new Thread(() -> {
                priority.lowerCurrentThread();
                progress(start);
            }, "replay-progress");
            progress.setDaemon(true);
            progress.start();
            for (Thread t : threads) {
                t.join();
            }
            progress.interrupt();
            System.out.println();
            if (!failures.isEmpty()) {
                throw failures.get(0);
            }
        }

        private void lane(List<Integer> events, long start) throws Exception {
            Histogram rec = new Histogram(60_000_000L, 3);
            Histogram ing = new Histogram(60_000_000L, 3);
            try (HttpConnection c = new HttpConnection(functions)) {
                for (int i : events) {
                    if (options.rate > 0) {
                        long due = start + (long) (i * 1e9 / options.rate);
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                    }
                    Interaction event = data.test.get(i);
                    if (data.positive(event)) {
                        test(c, event, i, rec);
                    }
                    long t0 = System.nanoTime();
                    int status = c.post("/ingest", ("[" + ReplayData.json(event) + "]").getBytes(StandardCharsets.UTF_8));
                    ing.recordValue(Math.min(60_000_000L, (System.nanoTime() - t0) / 1000));
                    if (status != 202) {
                        errors.incrementAndGet();
                    } else {
                        quality.applied(event.user(), event.item(), data.positive(event));
                    }
                    done.incrementAndGet();
                }
            }
            synchronized (this) {
                recommend.add(rec);
                ingest.add(ing);
            }
        }

        /** Asks for the user's top 10 before the event is sent, and scores the event's item against it. */
        private void test(HttpConnection c, Interaction event, int index, Histogram rec) throws IOException {
            byte[] body = ("{\"userId\":" + ReplayData.quote(event.user()) + ",\"k\":" + K + ",\"excludeSeen\":true}")
                    .getBytes(StandardCharsets.UTF_8);
            long t0 = System.nanoTime();
            HttpConnection.Response r = c.postForBody("/recommend", body);
            rec.recordValue(Math.min(60_000_000L, (System.nanoTime() - t0) / 1000));
            int window = (int) ((long) index * options.windows / data.test.size());
            scored.incrementAndGet();
            windowScored[window].incrementAndGet();
            if (r.status() != 200) {
                errors.incrementAndGet();
                return; // counted as a miss: the user got nothing
            }
            ScoreReply reply = JSON.readValue(r.body(), ScoreReply.class);
            if (Boolean.getBoolean("replay.debug") && index % 500 == 0) {
                System.out.println("\nDEBUG " + name + " " + index + " " + event + " -> " + new String(r.body(), StandardCharsets.UTF_8));
            }
            lastVersion = reply.modelVersion();
            List<ScoredItem> items = reply.items();
            quality.listed(windowQuality[window], event.user(), items.stream().map(ScoredItem::itemId).toList(),
                    event.item(), traits);
            for (int rank = 0; rank < items.size(); rank++) {
                if (items.get(rank).itemId().equals(event.item())) {
                    long g = Math.round(1e9 / (Math.log(rank + 2) / Math.log(2)));
                    hits.incrementAndGet();
                    gain.addAndGet(g);
                    windowHits[window].incrementAndGet();
                    windowGain[window].addAndGet(g);
                    break;
                }
            }
        }

        private void progress(long start) {
            try {
                while (true) {
                    Thread.sleep(1000);
                    long n = done.get();
                    double s = (System.nanoTime() - start) / 1e9;
                    double eta = n == 0 ? 0 : (data.test.size() - n) / (n / s);
                    System.out.printf(Locale.ROOT, "\r[%s] %,d/%,d events, %.0f events/s, HR@10 so far %.4f, ETA %.0f s   ",
                            name, n, data.test.size(), n / s, hits.get() / (double) Math.max(1, scored.get()), eta);
                }
            } catch (InterruptedException e) {
                // done
            }
        }
    }

    private static ListSums[] sums(int n) {
        ListSums[] out = new ListSums[n];
        for (int i = 0; i < n; i++) {
            out[i] = new ListSums();
        }
        return out;
    }

    private static AtomicLong[] counters(int n) {
        AtomicLong[] out = new AtomicLong[n];
        for (int i = 0; i < n; i++) {
            out[i] = new AtomicLong();
        }
        return out;
    }

    /** Freshness (a): from a 202 to the first recommend for that user that no longer returns the item. */
    record Probes(Histogram latency, int done, int timeouts) {
    }

    private Probes freshness(URI functions) throws IOException, InterruptedException {
        Histogram latency = new Histogram(60_000_000L, 3);
        int done = 0;
        int timeouts = 0;
        List<String> users = data.test.stream().map(Interaction::user).distinct().toList();
        try (HttpConnection c = new HttpConnection(functions)) {
            for (int p = 0; p < options.probes && !users.isEmpty(); p++) {
                String user = users.get(p * 7919 % users.size());
                byte[] ask = ("{\"userId\":" + ReplayData.quote(user) + ",\"k\":" + K + ",\"excludeSeen\":true}")
                        .getBytes(StandardCharsets.UTF_8);
                List<ScoredItem> before = JSON.readValue(c.postForBody("/recommend", ask).body(), ScoreReply.class).items();
                if (before.isEmpty()) {
                    continue;
                }
                // The user's current top item: once the view is applied, "exclude seen" must drop it.
                String top = before.get(0).itemId();
                byte[] view = ("[{\"userId\":" + ReplayData.quote(user) + ",\"itemId\":" + ReplayData.quote(top)
                        + ",\"type\":\"view\"}]").getBytes(StandardCharsets.UTF_8);
                if (c.post("/ingest", view) != 202) {
                    continue;
                }
                long accepted = System.nanoTime();
                boolean reflected = false;
                while (System.nanoTime() - accepted < 10_000_000_000L) {
                    HttpConnection.Response r = c.postForBody("/recommend", ask);
                    if (r.status() == 200 && JSON.readValue(r.body(), ScoreReply.class).items().stream()
                            .noneMatch(i -> i.itemId().equals(top))) {
                        reflected = true;
                        break;
                    }
                }
                if (reflected) {
                    latency.recordValue((System.nanoTime() - accepted) / 1000);
                    done++;
                } else {
                    timeouts++;
                }
            }
        }
        System.out.printf(Locale.ROOT, "[%s] freshness probes: %d reflected, %d not within 10 s%n", name, done, timeouts);
        return new Probes(latency, done, timeouts);
    }
}
