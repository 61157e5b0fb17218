package dev.recsys.stack.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import dev.recsys.core.PopularityScorer;
import dev.recsys.core.UserHistories;
import dev.recsys.core.UserHistory;
import dev.recsys.core.checkpoint.CheckpointImage;
import dev.recsys.core.checkpoint.CheckpointImageCodec;
import dev.recsys.core.sasrec.ModelFolder;
import dev.recsys.core.sasrec.OptimizerState;
import dev.recsys.core.sasrec.PyTorchEngine;
import dev.recsys.core.sasrec.SasRecConfig;
import dev.recsys.core.sasrec.SasRecInference;
import dev.recsys.core.sasrec.SasRecModel;
import dev.recsys.eval.bench.Machine;
import dev.recsys.kafka.LocalKafka;
import dev.recsys.stack.LocalStack;
import dev.recsys.stack.ManagedApp;
import dev.recsys.stack.client.MetricsScrape;
import dev.recsys.store.BlobStores;
import dev.recsys.store.CheckpointStore;
import dev.recsys.store.S3Settings;
import dev.recsys.testsupport.LocalS3;
import dev.recsys.wire.FeedbackEvent;
import dev.recsys.wire.FeedbackType;

/**
 * {@code bin/bench-checkpoint}: how long a checkpoint of a realistic worker state takes to write to disk and
 * to a real S3-compatible server, how long the feedback consumer waits for it, what scoring sees meanwhile,
 * and how long a worker takes from start to ready and caught up when it restores that state and replays a
 * tail of the log. The state: {@code --items} items with a SASRec model and Adam state, {@code --users}
 * users with about {@code --history} events each (popular items drawn more often).
 */
@Command(name = "bench-checkpoint", mixinStandardHelpOptions = true,
        description = "Checkpoint write and restore times of a realistic worker state, on disk and on S3.")
public final class CheckpointBenchmark implements Callable<Integer> {

    @Option(names = "--items", defaultValue = "10000", description = "(${DEFAULT-VALUE})")
    int items;

    @Option(names = "--users", defaultValue = "10000", description = "(${DEFAULT-VALUE})")
    int users;

    @Option(names = "--history", defaultValue = "50", description = "mean events per user (${DEFAULT-VALUE})")
    int history;

    @Option(names = "--runs", defaultValue = "10", description = "checkpoints timed per store (${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--tail", defaultValue = "5000", description = "events of log after the checkpoint (${DEFAULT-VALUE})")
    int tail;

    @Option(names = "--restarts", defaultValue = "3", description = "(${DEFAULT-VALUE})")
    int restarts;

    public static void main(String[] args) {
        System.exit(new CommandLine(new CheckpointBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (Math.min(Math.min(Math.min(items, users), Math.min(history, runs)), Math.min(tail, restarts)) < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "every option must be a positive number");
        }
        Path root = Path.of(System.getProperty("stack.root", ".")).toAbsolutePath().normalize();
        Path run = Files.createTempDirectory("recsys-checkpoint-bench-");
        System.out.println("machine: " + Machine.describe());
        System.out.printf("state: %,d items (SASRec %s, with Adam moments), %,d users, ~%d events each; %d runs%n",
                items, SasRecConfig.defaults(), users, history, runs);

        Random random = new Random(7);
        List<String> vocabulary = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            vocabulary.add("item-" + i);
        }
        UserHistories histories = new UserHistories(200, 2000);
        PopularityScorer popularity = new PopularityScorer(7 * 86_400_000.0, 0);
        long events = 0;
        for (int u = 0; u < users; u++) {
            String user = "user-" + u;
            int n = 1 + random.nextInt(2 * history);
            for (int e = 0; e < n; e++) {
                String item = vocabulary.get((int) (items * Math.pow(random.nextDouble(), 2)));
                if (random.nextInt(10) == 0) {
                    histories.of(user).reject(item);
                } else {
                    histories.append(user, item);
                    popularity.record(item, 1, 1_700_000_000_000L + events * 1000);
                }
                events++;
            }
        }
        SasRecConfig config = SasRecConfig.defaults();
        SasRecModel.Weights weights = SasRecModel.initialWeights(config, items + 1);
        CheckpointImage.ModelState model = withMoments(config, weights, items + 1);
        long totalEvents = events;

        PyTorchEngine.load(root.resolve("target/djl-cache"), 1);
        Histogram scoringIdle = new Histogram(3);
        Histogram scoringDuring = new Histogram(3);
        AtomicBoolean checkpointing = new AtomicBoolean();
        AtomicBoolean scoring = new AtomicBoolean(true);
        Thread scorer = new Thread(() -> {
            try (SasRecModel served = SasRecModel.of(config, weights)) {
                Random r = new Random(3);
                while (scoring.get()) {
                    int[] h = new int[50];
                    for (int i = 0; i < h.length; i++) {
                        h[i] = 1 + r.nextInt(items);
                    }
                    boolean during = checkpointing.get();
                    long t0 = System.nanoTime();
                    SasRecInference.scores(served, List.of(h));
                    long took = System.nanoTime() - t0;
                    (during || checkpointing.get() ? scoringDuring : scoringIdle).recordValue(took / 1000);
                }
            }
        }, "scoring");
        scorer.start();
        Thread.sleep(2000); // warm-up of the scoring thread

        List<String> rows = new ArrayList<>();
        try (LocalS3 s3 = LocalS3.start(run.resolve("s3"), LocalS3.freePort())) {
            s3.createBucket("bench");
            Map<String, String> stores = new LinkedHashMap<>();
            stores.put("file:", run.resolve("file-store").toUri().toString());
            stores.put("s3: (S3Proxy, loopback)", "s3://bench/worker");
            for (var store : stores.entrySet()) {
                CheckpointStore checkpoints = new CheckpointStore(BlobStores.open(store.getValue(), S3Settings.compatible(s3.endpoint(), LocalS3.ACCESS_KEY, LocalS3.SECRET_KEY)), 3);
                Histogram copy = new Histogram(3);
                Histogram encode = new Histogram(3);
                Histogram write = new Histogram(3);
                Histogram total = new Histogram(3);
                long bytes = 0;
                for (int i = 0; i < runs; i++) {
                    checkpointing.set(true);
                    long t0 = System.nanoTime();
                    // What Checkpointer does under the consumer's lock: copy the state in memory.
                    List<String> vocabCopy = List.copyOf(vocabulary);
                    java.util.SortedMap<String, UserHistory.Image> historyCopy = histories.state();
                    PopularityScorer.Image popularityCopy = popularity.state();
                    long t1 = System.nanoTime();
                    CheckpointImageCodec.Encoded encoded = CheckpointImageCodec.encode(new CheckpointImage(vocabCopy, historyCopy,
                            popularityCopy, Map.of(0, 0L), totalEvents, Optional.of(model)));
                    long t2 = System.nanoTime();
                    checkpoints.write(encoded.blobs(), encoded.metadata());
                    long t3 = System.nanoTime();
                    checkpointing.set(false);
                    copy.recordValue((t1 - t0) / 1000);
                    encode.recordValue((t2 - t1) / 1000);
                    write.recordValue((t3 - t2) / 1000);
                    total.recordValue((t3 - t0) / 1000);
                    bytes = encoded.blobs().values().stream().mapToLong(b -> b.length).sum();
                    Thread.sleep(300);
                }
                rows.add("| %s | %.1f | %s | %s | %s | %s |".formatted(store.getKey(), bytes / 1e6, ms(copy),
                        ms(encode), ms(write), ms(total)));
            }
            scoring.set(false);
            scorer.join();

            System.out.println();
            System.out.println("Writing a checkpoint (median / p99 over " + runs + " runs, ms):");
            System.out.println();
            System.out.println("| store | size MB | copy (consumer waits) | encode | write | total |");
            System.out.println("|---|---|---|---|---|---|");
            rows.forEach(System.out::println);
            System.out.println();
            System.out.println("Scoring one request (batch 1, 50 items of history) on another thread, ms:");
            System.out.println();
            System.out.println("| | requests | p50 | p99 | max |");
            System.out.println("|---|---|---|---|---|");
            System.out.println(scoringRow("no checkpoint running", scoringIdle));
            System.out.println(scoringRow("while a checkpoint is taken", scoringDuring));

            System.out.println();
            restart(root, run, s3, new CheckpointImage(vocabulary, histories.state(), popularity.state(),
                    Map.of(), totalEvents, Optional.of(model)), tail, restarts);
        }
        return 0;
    }

    /** Seeds a checkpoint and a tail of the log, then starts workers on it and times them. */
    private static void restart(Path root, Path run, LocalS3 s3, CheckpointImage state, int tail, int restarts)
            throws Exception {
        try (LocalKafka kafka = LocalKafka.startOnFreePorts(run.resolve("kafka"))) {
            Map<Integer, Long> start = new HashMap<>();
            for (int p = 0; p < LocalKafka.TOPICS.get("feedback"); p++) {
                start.put(p, 0L); // a fresh log: the tail below is all the checkpoint has not seen
            }
            CheckpointImage seeded = new CheckpointImage(state.vocabulary(), state.histories(), state.popularity(), start,
                    state.eventsApplied(), state.model());
            CheckpointImageCodec.Encoded encoded = CheckpointImageCodec.encode(seeded);
            new CheckpointStore(BlobStores.open("s3://bench/restart", S3Settings.compatible(s3.endpoint(), LocalS3.ACCESS_KEY, LocalS3.SECRET_KEY)), 3)
                    .write(encoded.blobs(), encoded.metadata());
            ObjectMapper json = new ObjectMapper();
            Random random = new Random(9);
            try (var producer = new KafkaProducer<String, String>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < tail; i++) {
                    String user = "user-" + random.nextInt(state.histories().size());
                    String item = state.vocabulary().get(random.nextInt(state.vocabulary().size()));
                    producer.send(new ProducerRecord<>("feedback", user, json.writeValueAsString(
                            new FeedbackEvent(null, user, item, FeedbackType.CLICK, null, System.currentTimeMillis()))));
                }
            }
            long expected = state.eventsApplied() + tail;
            S3Settings settings = S3Settings.compatible(s3.endpoint(), LocalS3.ACCESS_KEY, LocalS3.SECRET_KEY);
            Map<String, String> config = new LinkedHashMap<>();
            config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
            config.put("worker.model.cache-dir", root.resolve("target/djl-cache").toString());
            config.put("worker.training.enabled", "true");
            config.put("worker.checkpoint.store", "s3://bench/restart");
            config.put("worker.checkpoint.interval", "PT1H");
            config.put("worker.checkpoint.events", "100000000");
            config.put("worker.checkpoint.on-shutdown", "false");
            config.put("worker.checkpoint.s3.endpoint", settings.endpoint().orElseThrow().toString());
            config.put("worker.checkpoint.s3.path-style", "true");
            config.put("worker.checkpoint.s3.access-key", settings.accessKey().orElseThrow());
            config.put("worker.checkpoint.s3.secret-key", settings.secretKey().orElseThrow());
            System.out.printf("Restart to ready: a worker restores that checkpoint from S3Proxy and replays a tail of %,d"
                    + " events (training on; each start a new JVM; no checkpoint written meanwhile):%n%n", tail);
            System.out.println("| start | ready (HTTP /q/health/ready) s | tail applied s |");
            System.out.println("|---|---|---|");
            for (int i = 1; i <= restarts; i++) {
                ManagedApp worker = new ManagedApp("gpu-worker", LocalStack.jar(root, "gpu-worker"),
                        LocalKafka.freePort(), config, run.resolve("worker-" + i + ".log"));
                long t0 = System.nanoTime();
                try {
                    worker.start();
                    long ready = System.nanoTime();
                    while (MetricsScrape.of(worker.url()).value("worker_feedback_applied") < expected) {
                        if (System.nanoTime() - t0 > 120e9) {
                            throw new IllegalStateException("tail not applied within 120 s; see " + run);
                        }
                        Thread.sleep(50);
                    }
                    long caughtUp = System.nanoTime();
                    System.out.printf("| %d | %.1f | %.1f |%n", i, (ready - t0) / 1e9, (caughtUp - t0) / 1e9);
                } finally {
                    worker.kill();
                }
            }
        }
    }

    private static String ms(Histogram h) {
        return "%.1f / %.1f".formatted(h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0);
    }

    private static String scoringRow(String label, Histogram h) {
        return "| %s | %,d | %.2f | %.2f | %.2f |".formatted(label, h.getTotalCount(), h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
    }

    /** A checkpoint's model: these weights with Adam's moments as large as they are, {@code rows} item rows. */
    static CheckpointImage.ModelState withMoments(SasRecConfig config, SasRecModel.Weights weights, int rows) {
        Map<String, float[][]> moments = new LinkedHashMap<>();
        weights.values().forEach((name, v) -> moments.put(name, new float[][] { v.clone(), v.clone() }));
        return new CheckpointImage.ModelState(config, weights, Optional.of(new OptimizerState(1000, moments)), 1000,
                rows, ModelFolder.UNKNOWN);
    }
}
