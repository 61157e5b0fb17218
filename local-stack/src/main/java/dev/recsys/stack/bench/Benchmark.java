package dev.recsys.stack.bench;

import java.io.BufferedReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import dev.recsys.eval.bench.Machine;
import dev.recsys.stack.CpuUse;
import dev.recsys.stack.LocalStack;
import dev.recsys.stack.bench.LoadGenerator.Result;
import dev.recsys.stack.client.MetricsScrape;
import dev.recsys.stack.client.WorkerHealth;

/**
 * {@code bin/bench}: starts the whole stack on loopback and measures, in one run, Kafka's own producer perf
 * tool, ingest through the HTTP function, and recommend latency end to end (HTTP, Kafka, worker and back).
 * Every process, load generator included, shares this machine's cores: the table says how many.
 * <p>
 * A tool, not the product, over 300 lines: its phases run and print in the order written here; its options
 * are {@link BenchmarkOptions}.
 */
public final class Benchmark {

    private final BenchmarkOptions o;

    /** When the data load began (nanoTime), for the shards' absorption rates. */
    private long loadStarted;

    private Benchmark(BenchmarkOptions o) {
        this.o = o;
    }

    public static void main(String[] args) throws Exception {
        BenchmarkOptions o = BenchmarkOptions.parse(args);
        if (o == null) {
            return; // --help
        }
        Path root = Path.of(System.getProperty("stack.root", ".")).toAbsolutePath().normalize();
        Path runDir = Files.createTempDirectory("recsys-bench-");
        System.out.println("starting the stack (broker, worker, functions) in " + runDir);
        Workload work = o.ratings == null ? Workload.synthetic(o.batch, new Random(42))
                : Workload.movieLens(o.ratings, o.batch);
        Map<String, String> worker = new java.util.HashMap<>();
        if (o.model.equals("sasrec")) {
            worker.putAll(ApiCalls.untrainedModel(root, runDir.resolve("model"), work.items));
        } else if (o.model.equals("bootstrap")) {
            // No model: the worker trains its own from what is loaded. The open loops before that training
            // starts (it waits this long for the feed to pause) are measured, then one while it runs.
            worker.put("worker.scorer", "auto");
            worker.put("worker.bootstrap.quiet", "PT60S");
            // Loading the data once more then makes a re-fit due, measured the same way.
            worker.put("worker.refit.every-events", "20000");
        } else {
            worker.put("worker.scorer", o.model); // what ranks is named, not left to worker.scorer=auto
        }
        worker.put("worker.scoring.read-your-writes-wait", o.readYourWritesWait.toString());
        System.out.println("worker.scoring.read-your-writes-wait=" + o.readYourWritesWait);
        if (o.shards > 0) {
            worker.put("worker.checkpoint.store", runDir.resolve("checkpoints").toUri().toString());
            worker.put("worker.checkpoint.interval", "PT5S"); // shards take the trainer's model from these
            System.out.printf("a trainer and %d serving shards%n", o.shards);
        }
        try (LocalStack stack = LocalStack.start(root, runDir, LocalStack.Ports.free(), worker, o.shards)) {
            new Benchmark(o).run(stack, work);
        }
    }

    private void run(LocalStack stack, Workload work) throws Exception {
        System.out.printf("workload: %s, %d events in %d batches of %d, %d users; record size ~%d bytes%n",
                work.name, work.events, work.bodies.size(), o.batch, work.users.size(), work.meanEventBytes);

        double perf = o.phases.contains("perf") ? producerPerf(stack, work.meanEventBytes) : Double.NaN;
        Result ingest;
        if (o.shards > 0) {
            ingest = loadOnce(stack, work); // stopping the trainer to measure ingest alone would move nothing
            printShards(stack);
        } else if (o.phases.contains("ingest")) {
            // The worker would compete for the same two cores while it consumes what is ingested; the
            // ingest path under test ends at the broker, as the producer perf tool's does.
            stack.stopWorker();
            ingest = ingest(stack, work);
            long t0 = System.nanoTime();
            stack.startWorker();
            System.out.printf("worker restarted and replayed the log to ready in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        } else {
            ingest = loadOnce(stack, work);
        }
        int firstRate = o.rates.get(0);
        Result before = null;
        Result during = null;
        if (o.model.equals("bootstrap")) {
            // Right after the load the worker is still collecting garbage and compiling; a first loop, not
            // reported, keeps that out of the "before" figures.
            recommendOpenLoop(stack, work.users, firstRate);
            before = recommendOpenLoop(stack, work.users, firstRate);
            during = duringBootstrap(stack, work.users, firstRate);
            awaitModel(stack, WorkerHealth::servesModel, "the worker's own model serves");
        }
        // What a user will ask: the model the worker serves, alone and under load, open and closed loop.
        Map<String, Result> grid = new java.util.LinkedHashMap<>();
        Map<String, String> cpu = new java.util.LinkedHashMap<>();
        for (int rate : o.rates) {
            String name = String.format("open loop at %d req/s", rate);
            CpuUse use = CpuUse.start(stack);
            grid.put(name, recommendOpenLoop(stack, work.users, rate));
            cpu.put(name, use.since());
        }
        for (int clients : o.closed) {
            String name = String.format("closed loop, %d client%s", clients, clients == 1 ? "" : "s");
            CpuUse use = CpuUse.start(stack);
            grid.put(name, recommendClosedLoop(stack, work.users, clients));
            cpu.put(name, use.since());
        }
        Result duringRefit = null;
        if (o.model.equals("bootstrap") && o.phases.contains("refit")) {
            loadOnce(stack, work); // new event ids: as many positive events again, and a re-fit due
            awaitMetric(stack, "worker_refit_running", "a re-fit trains");
            duringRefit = recommendOpenLoop(stack, work.users, firstRate);
        }
        Map<String, ApiResult> api = o.phases.contains("api") ? measureApi(stack, work) : Map.of();
        String served = servedBy(stack, work.users.get(0));
        System.out.println();
        System.out.println("machine: " + Machine.describe());
        System.out.println("all processes (broker, worker, functions, load generator) on this machine, loopback");
        System.out.println("recommend answered by: " + served + "; read-your-writes wait " + o.readYourWritesWait);
        System.out.println();
        System.out.println("| measure | throughput | p50 ms | p90 ms | p99 ms | max ms | errors |");
        System.out.println("|---|---|---|---|---|---|---|");
        if (o.phases.contains("perf")) {
            System.out.printf("| Kafka ProducerPerformance, %d-byte records, acks=all | %,.0f records/s | | | | | |%n",
                    work.meanEventBytes, perf);
        }
        String ingestRate = String.format("%,.0f events/s", ingest.rate())
                + (o.phases.contains("perf") ? String.format(" (%.0f%% of producer perf)", 100 * ingest.rate() / perf) : "");
        row(o.shards == 0 && o.phases.contains("ingest")
                ? String.format("ingest over HTTP, batches of %d, %d clients", o.batch, o.clients)
                : String.format("data loaded over HTTP, batches of %d, one client", o.batch), ingestRate, ingest);
        if (before != null) {
            row(String.format("recommend, open loop at %d req/s, before the worker trains its model", firstRate), before);
            row(String.format("recommend, open loop at %d req/s, while it trains its first model", firstRate), during);
        }
        grid.forEach((name, r) -> row("recommend, " + name, r));
        if (duringRefit != null) {
            row(String.format("recommend, open loop at %d req/s, while the worker re-fits its model", firstRate),
                    duringRefit);
        }
        System.out.println();
        System.out.println("Where the CPU went in each recommend loop (warm-up included):");
        cpu.forEach((name, use) -> System.out.println("- " + name + ": " + use));
        if (!api.isEmpty()) {
            printApi(api);
        }
    }

    /** One call's latencies pooled over the rounds, and each round's p99 and rate (rounds are equally long). */
    private record ApiResult(Histogram latency, List<Double> roundP99, List<Double> roundRates, AtomicLong errors) {
    }

    /**
     * Every API call at {@code --api-rate}, in rounds of every call in turn, so drift on a shared machine (JIT,
     * GC, page cache) falls on all calls alike instead of on whichever ran first.
     */
    private Map<String, ApiResult> measureApi(LocalStack stack, Workload work) throws Exception {
        ApiCalls calls = ApiCalls.prepare(stack, work, o.movies, new Random(11));
        Map<String, ApiResult> results = new java.util.LinkedHashMap<>();
        for (int round = 1; round <= o.apiRounds; round++) {
            for (LoadGenerator.Call call : calls.all()) {
                System.out.printf("round %d: %s, open loop: %d req/s%n", round, call.name(), o.apiRate);
                Result r = openLoop(stack, call, o.apiRate, round == 1 ? o.warmupSeconds : 0);
                ApiResult pooled = results.computeIfAbsent(call.name(), n -> new ApiResult(new Histogram(3),
                        new ArrayList<>(), new ArrayList<>(), new AtomicLong()));
                pooled.latency().add(r.latency());
                pooled.roundP99().add(r.latency().getValueAtPercentile(99) / 1000.0);
                pooled.roundRates().add(r.rate());
                pooled.errors().addAndGet(r.errors());
            }
        }
        return results;
    }

    private void printApi(Map<String, ApiResult> api) {
        System.out.println();
        System.out.printf("API calls over HTTP, open loop at %d req/s each, %d rounds of %d s per call, pooled; "
                + "worker model: %s%n", o.apiRate, o.apiRounds, o.seconds, o.model);
        System.out.println();
        System.out.println("| call | throughput | p50 ms | p99 ms | p99 per round ms | max ms | errors |");
        System.out.println("|---|---|---|---|---|---|---|");
        api.forEach((name, r) -> System.out.printf("| %s | %,.0f req/s | %s | %s | %s | %s | %d |%n", name,
                r.roundRates().stream().mapToDouble(Double::doubleValue).average().orElse(0), ms(r.latency(), 50), ms(r.latency(), 99), r.roundP99().stream()
                        .map(v -> String.format("%.2f", v)).collect(java.util.stream.Collectors.joining(" / ")),
                max(r.latency()), r.errors().get()));
        double plain = api.get(ApiCalls.RECOMMEND).latency().getValueAtPercentile(99) / 1000.0;
        double filtered = api.get(ApiCalls.RECOMMEND_FILTERED).latency().getValueAtPercentile(99) / 1000.0;
        System.out.printf("%nfilters' cost at p99: %.2f ms with filters / %.2f ms without = %.2fx (aim: at most 1.20x)%n",
                filtered, plain, filtered / plain);
        double explained = api.get(ApiCalls.RECOMMEND_EXPLAINED).latency().getValueAtPercentile(99) / 1000.0;
        System.out.printf("explain's cost at p99: %.2f ms explained / %.2f ms not = %.2fx%n", explained, plain,
                explained / plain);
    }

    /** Kafka's own producer benchmark on the same broker, to a topic shaped like {@code feedback}. */
    private double producerPerf(LocalStack stack, int recordBytes) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("perf-test", 6, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Path lib = Path.of(System.getProperty("local.kafka.lib"));
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", lib.toAbsolutePath() + "/*", "org.apache.kafka.tools.ProducerPerformance",
                "--topic", "perf-test", "--num-records", String.valueOf(o.perfRecords),
                "--record-size", String.valueOf(recordBytes), "--throughput", "-1",
                "--producer-props", "bootstrap.servers=" + stack.bootstrapServers(), "acks=all");
        System.out.println("running Kafka ProducerPerformance: " + o.perfRecords + " records");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String last = null;
        try (BufferedReader r = p.inputReader()) {
            for (String line; (line = r.readLine()) != null;) {
                last = line;
            }
        }
        p.waitFor(5, TimeUnit.MINUTES);
        Matcher m = last == null ? null : Pattern.compile("([\\d.]+) records/sec").matcher(last);
        if (m == null || !m.find()) {
            throw new IllegalStateException("ProducerPerformance printed no summary; last line: " + last);
        }
        System.out.println("  " + last);
        return Double.parseDouble(m.group(1));
    }

    private Result ingest(LocalStack stack, Workload work) throws Exception {
        System.out.printf("ingest: %d s warm-up, %d s measured, %d clients%n", o.warmupSeconds, o.seconds, o.clients);
        return load(stack).closedLoop(new LoadGenerator.Call("ingest", "/ingest",
                r -> work.bodies.get(r.nextInt(work.bodies.size())), 202, o.batch), o.clients,
                Duration.ofSeconds(o.warmupSeconds), Duration.ofSeconds(o.seconds));
    }

    /** Without the ingest phase, the data still goes in once, so recommend scores a realistic catalogue. */
    private Result loadOnce(LocalStack stack, Workload work) throws Exception {
        loadStarted = System.nanoTime();
        Result loaded = load(stack).inOrder("/ingest", work.bodies, 202, work::eventsIn);
        // Latency is measured with the worker idle, not while it still applies what was just loaded.
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (MetricsScrape.of(stack.workerUrl()).value("worker_feedback_applied") < work.events
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        Thread.sleep(2000);
        return loaded;
    }

    /**
     * What each serving shard holds once the load is applied: its partitions, users, events and heap, and
     * how fast it absorbed its share of the load (its events over the time until it had applied them).
     */
    private void printShards(LocalStack stack) throws Exception {
        long t0 = loadStarted;
        List<String> shards = stack.shardUrls();
        long[] doneAt = new long[shards.size()];
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline && java.util.Arrays.stream(doneAt).anyMatch(t -> t == 0)) {
            for (int i = 0; i < shards.size(); i++) {
                if (doneAt[i] == 0 && MetricsScrape.of(shards.get(i)).value("worker_feedback_lag_records") == 0) {
                    doneAt[i] = System.nanoTime();
                }
            }
            Thread.sleep(100);
        }
        boolean model = o.model.equals("sasrec");
        for (String shard : shards) {
            if (model && !WorkerHealth.await(shard, WorkerHealth::servesModel, java.time.Duration.ofSeconds(120))) {
                throw new IllegalStateException(shard + " does not serve the trainer's model after 120 s");
            }
        }
        System.out.println();
        System.out.println("| shard | partitions | users | events applied | events/s absorbed (load start to applied) "
                + "| heap used MB |");
        System.out.println("|---|---|---|---|---|---|");
        for (int i = 0; i < shards.size(); i++) {
            MetricsScrape m = MetricsScrape.of(shards.get(i));
            double events = m.sumWhere("worker_feedback_events_total", "outcome=\"consumed\"");
            System.out.printf("| shard-%d | %.0f | %.0f | %,.0f | %,.0f | %.0f |%n", i, m.value("worker_shard_partitions"),
                    m.value("worker_users"), events, events / ((doneAt[i] - t0) / 1e9),
                    m.sumWhere("jvm_memory_used_bytes", "area=\"heap\"") / 1e6);
        }
    }

    private Result recommendClosedLoop(LocalStack stack, List<String> users, int clients) throws Exception {
        System.out.printf("recommend, closed loop: %d clients%n", clients);
        return load(stack).closedLoop(new LoadGenerator.Call("recommend", "/recommend",
                r -> recommendBody(users.get(r.nextInt(users.size())))), clients,
                Duration.ofSeconds(o.warmupSeconds), Duration.ofSeconds(o.seconds));
    }

    /**
     * Requests at a fixed rate whatever the answers do, spread over {@code clients} connections; latency
     * counts from when a request was due, so a slow answer that delays the next request is charged to it.
     */
    private Result recommendOpenLoop(LocalStack stack, List<String> users, int rate) throws Exception {
        System.out.printf("recommend, open loop: %d req/s%n", rate);
        LoadGenerator.Call recommend = new LoadGenerator.Call("recommend", "/recommend",
                random -> recommendBody(users.get(random.nextInt(users.size()))));
        return openLoop(stack, recommend, rate, o.warmupSeconds);
    }

    private static void row(String what, Result r) {
        row(what, String.format("%,.0f req/s", r.rate()), r);
    }

    private static void row(String what, String throughput, Result r) {
        System.out.printf("| %s | %s | %s | %s | %s | %s | %d |%n", what, throughput, ms(r.latency(), 50),
                ms(r.latency(), 90), ms(r.latency(), 99), max(r.latency()), r.errors());
    }

    /** The open loop again once the worker's bootstrap training is under way (it serves the table meanwhile). */
    private Result duringBootstrap(LocalStack stack, List<String> users, int rate) throws Exception {
        awaitModel(stack, m -> m.path("bootstrap").asText("").startsWith("training"),
                "the worker trains its first model");
        return recommendOpenLoop(stack, users, rate);
    }

    /**
     * Waits (10 minutes at most: a bootstrap trains up to {@code worker.bootstrap.max-duration}, 8) until the
     * worker's model check says {@code what}.
     */
    private static void awaitModel(LocalStack stack, java.util.function.Predicate<com.fasterxml.jackson.databind.JsonNode>
            condition, String what) throws Exception {
        if (!WorkerHealth.await(stack.workerUrl(), condition, java.time.Duration.ofMinutes(10))) {
            throw new IllegalStateException("not within 10 minutes: " + what);
        }
        System.out.println(what + "; measuring recommend");
    }

    /** Waits (3 minutes at most) until a worker gauge is 1. */
    private static void awaitMetric(LocalStack stack, String gauge, String what) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            if (MetricsScrape.of(stack.workerUrl()).value(gauge) == 1) {
                System.out.println(what + "; measuring recommend");
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("not within 3 minutes: " + what);
    }

    private static LoadGenerator load(LocalStack stack) {
        return new LoadGenerator(stack.functionsUrl());
    }

    /** One open loop of {@code --seconds} at {@code rate} after {@code warmupSeconds}, on at least --clients connections. */
    private Result openLoop(LocalStack stack, LoadGenerator.Call call, int rate, int warmupSeconds) throws Exception {
        return load(stack).openLoop(call, rate, Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(o.seconds),
                o.clients);
    }

    /** The model version one recommend answer names: what the table's recommend rows measured. */
    private static String servedBy(LocalStack stack, String user) throws Exception {
        var answer = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                URI.create(stack.functionsUrl() + "/recommend")).header("content-type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(recommendBody(user))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body()).path("modelVersion").asText("?");
    }

    static byte[] recommendBody(String user) {
        return ("{\"userId\":\"" + user + "\",\"k\":10}").getBytes(StandardCharsets.UTF_8);
    }

    private static String ms(Histogram h, double percentile) {
        return String.format("%.2f", h.getValueAtPercentile(percentile) / 1000.0);
    }

    private static String max(Histogram h) {
        return String.format("%.2f", h.getMaxValue() / 1000.0);
    }
}
