package dev.recsys.stack.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import dev.recsys.eval.bench.Machine;
import dev.recsys.kafka.LocalKafka;
import dev.recsys.stack.LocalStack;
import dev.recsys.stack.ManagedApp;
import dev.recsys.stack.ShardHealth;
import dev.recsys.stack.client.HttpConnection;
import dev.recsys.stack.client.RankedAnswer;
import dev.recsys.stack.client.WorkerHealth;
import dev.recsys.store.BlobStores;
import dev.recsys.store.CheckpointStore;
import dev.recsys.store.S3Settings;

/**
 * {@code bin/bench-handover}: a trainer and serving shards take a MovieLens replay through the functions; part
 * way through, one shard is SIGKILLed. Its users are asked for recommendations until the others serve them;
 * the shard is started again; once the stream is over, every user's answer is compared with what one worker
 * (never killed, reading all feedback, from the same trainer's checkpoint) answers. Prints one table.
 */
@Command(name = "bench-handover", mixinStandardHelpOptions = true, sortOptions = false,
        description = "SIGKILL a serving shard during a replay: time until its users are served, and whether "
                + "every user is then answered as one worker answers them.")
public final class HandoverBenchmark implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--ratings", required = true, description = "MovieLens ratings.csv (or user item [timestamp] lines)")
    Path ratings;

    @Option(names = "--shards", defaultValue = "3", description = "(${DEFAULT-VALUE})")
    int shards;

    @Option(names = "--kill-at", defaultValue = "0.5", description = "share of the replay sent when a shard is "
            + "killed (${DEFAULT-VALUE})")
    double killAt;

    @Option(names = "--probe-users", defaultValue = "24", description = "the killed shard's users asked for, in "
            + "parallel rounds (${DEFAULT-VALUE})")
    int probeUsers;

    @Option(names = "--batch", defaultValue = "500", description = "events per ingest call (${DEFAULT-VALUE})")
    int batch;

    public static void main(String[] args) {
        System.exit(new CommandLine(new HandoverBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path root = Path.of(System.getProperty("stack.root", ".")).toAbsolutePath().normalize();
        Path run = Files.createTempDirectory("recsys-handover-");
        Workload work = Workload.movieLens(ratings, batch);
        Path store = run.resolve("checkpoints");
        Map<String, String> config = new HashMap<>(ApiCalls.untrainedModel(root, run.resolve("model"), work.items));
        config.put("worker.checkpoint.store", store.toUri().toString());
        config.put("worker.checkpoint.interval", "PT2S");
        // A fixed blend: learnt, the share would depend on which events each worker saw.
        config.put("worker.blend.learn", "false");
        config.put("worker.blend.weight", "0.5");
        CheckpointStore checkpoints = new CheckpointStore(
                BlobStores.open(store.toUri().toString(), S3Settings.aws("us-east-1")), 3);
        int partitions = LocalKafka.TOPICS.get("feedback");
        System.out.printf("a trainer, %d shards and the functions in %s; %,d events of %d users%n", shards, run,
                work.events, work.users.size());
        try (LocalStack stack = LocalStack.start(root, run.resolve("stack"), LocalStack.Ports.free(), config, shards)) {
            List<String> shardUrls = stack.shardUrls();
            int victim = 1 % shards;
            AtomicLong sent = new AtomicLong();
            long replayStart = System.nanoTime();
            Thread replay = new Thread(() -> replay(stack, work, sent), "replay");
            replay.start();
            long killAfter = (long) (work.events * killAt);
            while (sent.get() < killAfter && replay.isAlive()) {
                Thread.sleep(20);
            }
            Set<Integer> moved = ShardHealth.partitions(shardUrls.get(victim));
            List<String> movedUsers = work.users.stream()
                    .filter(u -> moved.contains(ShardHealth.partitionOf(u, partitions)))
                    .limit(probeUsers).toList();
            long killedAt = System.nanoTime();
            long sentAtKill = sent.get();
            stack.killShard(victim);
            Probe probe = probe(stack, movedUsers, killedAt);
            replay.join();
            double replaySeconds = (System.nanoTime() - replayStart) / 1e9;
            stack.startShard(victim);
            boolean backHome = !ShardHealth.partitions(shardUrls.get(victim)).isEmpty();
            quiet(checkpoints, shardUrls);
            Map<String, RankedAnswer> sharded = answers(stack, work.users);
            for (int i = 0; i < shards; i++) {
                stack.stopShard(i);
            }
            Map<String, RankedAnswer> one;
            ManagedApp reference = ShardHealth.singleWorker(root, config, stack.bootstrapServers(),
                    run.resolve("reference.log"));
            try {
                reference.start();
                one = answers(stack, work.users);
            } finally {
                reference.close();
            }
            List<String> differ = new ArrayList<>();
            for (String user : work.users) {
                one.get(user).differenceFrom(sharded.get(user)).ifPresent(why -> differ.add(user + ": " + why));
            }

            System.out.println();
            System.out.println("machine: " + Machine.describe());
            System.out.println("all processes (broker, trainer, shards, functions, this load) on this machine, loopback");
            System.out.println();
            System.out.println("| measure | value |");
            System.out.println("|---|---|");
            System.out.printf("| replay through ingest | %,d events in %.1f s (%,.0f events/s) |%n", work.events,
                    replaySeconds, work.events / replaySeconds);
            System.out.printf("| shard-%d SIGKILLed after | %,d events sent; it owned partitions %s |%n", victim,
                    sentAtKill, moved);
            System.out.printf("| its users asked for, in parallel rounds | %d |%n", movedUsers.size());
            System.out.printf("| all of them served again after | %,d ms |%n", probe.servedAfterMillis);
            System.out.printf("| answers meanwhile: 200 / 503 / 504 / other | %d / %d / %d / %d |%n",
                    probe.statuses.getOrDefault(200, 0), probe.statuses.getOrDefault(503, 0),
                    probe.statuses.getOrDefault(504, 0), probe.statuses.entrySet().stream()
                            .filter(e -> e.getKey() != 200 && e.getKey() != 503 && e.getKey() != 504)
                            .mapToInt(Map.Entry::getValue).sum());
            System.out.printf("| their latency p50 / p99 / max | %.0f / %.0f / %.0f ms |%n",
                    probe.latency.getValueAtPercentile(50) / 1000.0, probe.latency.getValueAtPercentile(99) / 1000.0,
                    probe.latency.getMaxValue() / 1000.0);
            System.out.printf("| shard-%d started again: owns partitions again | %s |%n", victim, backHome ? "yes" : "no");
            System.out.printf("| users answered as one never-killed worker answers them | %d of %d |%n",
                    work.users.size() - differ.size(), work.users.size());
            differ.stream().limit(5).forEach(d -> System.out.println("  differs: " + d));
            return differ.isEmpty() && backHome ? 0 : 1;
        }
    }

    private static void replay(LocalStack stack, Workload work, AtomicLong sent) {
        try {
            new LoadGenerator(stack.functionsUrl(), sent).inOrder("/ingest", work.bodies, 202, work::eventsIn);
        } catch (Exception e) {
            throw new IllegalStateException("replay failed", e);
        }
    }

    private record Probe(long servedAfterMillis, Map<Integer, Integer> statuses, Histogram latency) {
    }

    /** Asks for every user, all at once, round after round, until each has been answered 200. */
    private static Probe probe(LocalStack stack, List<String> users, long killedAt) throws Exception {
        Set<String> waiting = ConcurrentHashMap.newKeySet();
        waiting.addAll(users);
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        Histogram latency = new Histogram(3);
        AtomicLong lastServed = new AtomicLong(killedAt);
        long deadline = killedAt + Duration.ofSeconds(120).toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, users.size()));
        try {
            while (!waiting.isEmpty() && System.nanoTime() < deadline) {
                List<Future<?>> round = new ArrayList<>();
                for (String user : List.copyOf(waiting)) {
                    round.add(pool.submit(() -> {
                        try (HttpConnection conn = new HttpConnection(URI.create(stack.functionsUrl()))) {
                            long t0 = System.nanoTime();
                            int status = conn.post("/recommend", Benchmark.recommendBody(user));
                            long t1 = System.nanoTime();
                            synchronized (latency) {
                                latency.recordValue(Math.max(1, (t1 - t0) / 1000));
                            }
                            statuses.merge(status, 1, Integer::sum);
                            if (status == 200) {
                                waiting.remove(user);
                                lastServed.accumulateAndGet(t1, Math::max);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : round) {
                    f.get();
                }
                Thread.sleep(200);
            }
        } finally {
            pool.shutdownNow();
        }
        if (!waiting.isEmpty()) {
            throw new IllegalStateException("users never served again within 120 s: " + waiting);
        }
        return new Probe((lastServed.get() - killedAt) / 1_000_000, new TreeMap<>(statuses), latency);
    }

    /** Waits until the trainer has stopped writing checkpoints and every shard serves its newest, replayed. */
    private static void quiet(CheckpointStore checkpoints, List<String> shards) throws Exception {
        String last = "";
        int stable = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        while (System.nanoTime() < deadline) {
            String latest = checkpoints.latestId().orElse("");
            stable = latest.equals(last) ? stable + 1 : 0;
            last = latest;
            if (stable >= 10 && !latest.isEmpty() && allServe(shards, latest)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the trainer and shards did not settle on one checkpoint in 300 s");
    }

    private static boolean allServe(List<String> shards, String checkpoint) throws Exception {
        for (String shard : shards) {
            JsonNode model = WorkerHealth.model(shard);
            if (!model.path("serving").asText("").equals("sasrec@" + checkpoint) || !ShardHealth.settled(shard)) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, RankedAnswer> answers(LocalStack stack, List<String> users) throws Exception {
        Map<String, RankedAnswer> out = new HashMap<>();
        try (HttpConnection conn = new HttpConnection(URI.create(stack.functionsUrl()))) {
            for (String user : users) {
                HttpConnection.Response r = conn.postForBody("/recommend", Benchmark.recommendBody(user));
                if (r.status() != 200) {
                    throw new IllegalStateException(user + " answered " + r.status() + ": "
                            + new String(r.body(), StandardCharsets.UTF_8));
                }
                out.put(user, RankedAnswer.parse(r.body()));
            }
        }
        return out;
    }
}
