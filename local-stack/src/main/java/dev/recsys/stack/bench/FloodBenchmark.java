package dev.recsys.stack.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import dev.recsys.eval.bench.Machine;
import dev.recsys.stack.LocalStack;
import dev.recsys.stack.client.MetricsScrape;

/**
 * {@code bin/bench-flood}: drives every state budget of the worker past its limit at once, for
 * {@code --minutes}, through HTTP and straight onto the topics, against a worker with a fixed heap and small
 * budgets, and prints what it holds every few seconds:
 * <ul>
 * <li>ingest callers send all-new users with ids of {@code --id-length} characters, one item in four new
 * (users past max-users and max-history-bytes, items past max-items, the dedup window past its bytes);</li>
 * <li>in every call one user turns down all-new long items with all-new event ids (that user's history past
 * max-user-bytes, and their dedup share);</li>
 * <li>an items caller adds items with 50 long categories and re-categorises a few in a loop (the catalogue's
 * bytes and its category index);</li>
 * <li>a raw producer writes records with made-up field names onto {@code feedback} and garbage onto
 * {@code items} (dead-letter label sets and log budgets);</li>
 * <li>a forget caller forgets 4 flooded users a second (checkpoints coalesce).</li>
 * </ul>
 * The budgets must hold the heap and the state under their bounds, the worker ready throughout, the
 * {@code /q/metrics} body small, and every checkpoint written.
 */
@Command(name = "bench-flood", mixinStandardHelpOptions = true,
        description = "Every state budget of the worker driven past its limit at once, through HTTP and the topics.")
public final class FloodBenchmark implements Callable<Integer> {

    @Option(names = "--minutes", defaultValue = "5", description = "how long to flood (default ${DEFAULT-VALUE})")
    double minutes;

    @Option(names = "--max-users", defaultValue = "200000", description = "worker.limits.max-users (${DEFAULT-VALUE})")
    int maxUsers;

    @Option(names = "--max-items", defaultValue = "100000", description = "worker.limits.max-items (${DEFAULT-VALUE})")
    int maxItems;

    @Option(names = "--max-history-bytes", defaultValue = "134217728",
            description = "worker.limits.max-history-bytes (${DEFAULT-VALUE})")
    long maxHistoryBytes;

    @Option(names = "--max-user-bytes", defaultValue = "65536", description = "worker.limits.max-user-bytes (${DEFAULT-VALUE})")
    long maxUserBytes;

    @Option(names = "--max-catalogue-bytes", defaultValue = "33554432",
            description = "worker.limits.max-catalogue-bytes (${DEFAULT-VALUE})")
    long maxCatalogueBytes;

    @Option(names = "--dedup-max-bytes", defaultValue = "16000000", description = "worker.dedup.max-bytes (${DEFAULT-VALUE})")
    long dedupMaxBytes;

    @Option(names = "--id-length", defaultValue = "200", description = "characters of each flooded id (${DEFAULT-VALUE})")
    int idLength;

    @Option(names = "--worker-heap", defaultValue = "1g", description = "the worker's -Xmx (${DEFAULT-VALUE})")
    String workerHeap;

    @Option(names = "--senders", defaultValue = "2", description = "concurrent ingest callers (${DEFAULT-VALUE})")
    int senders;

    @Option(names = "--batch", defaultValue = "500", description = "events per ingest call (${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--every", defaultValue = "15", description = "seconds between report rows (${DEFAULT-VALUE})")
    int every;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong itemUpdates = new AtomicLong();
    private final AtomicLong rawRecords = new AtomicLong();
    private final AtomicLong forgets = new AtomicLong();

    public static void main(String[] args) {
        System.exit(new CommandLine(new FloodBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path root = Path.of(System.getProperty("stack.root", ".")).toAbsolutePath().normalize();
        System.setProperty("stack.app.xmx", workerHeap);
        System.out.println("machine: " + Machine.describe());
        System.out.printf("flood: %.1f min, every budget at once (%d ingest callers of %d events, ids of %d characters; "
                + "items, raw topic records and forgets beside); worker -Xmx%s, max-users %,d, max-items %,d, "
                + "max-history-bytes %,d, max-user-bytes %,d, max-catalogue-bytes %,d, dedup max-bytes %,d%n",
                minutes, senders, batch, idLength, workerHeap, maxUsers, maxItems, maxHistoryBytes, maxUserBytes,
                maxCatalogueBytes, dedupMaxBytes);
        Path run = Files.createTempDirectory("recsys-flood-");
        try (LocalStack stack = LocalStack.start(root, run.resolve("stack"), LocalStack.Ports.free(), Map.ofEntries(
                Map.entry("worker.limits.max-users", Integer.toString(maxUsers)),
                Map.entry("worker.limits.max-items", Integer.toString(maxItems)),
                Map.entry("worker.limits.max-history-bytes", Long.toString(maxHistoryBytes)),
                Map.entry("worker.limits.max-user-bytes", Long.toString(maxUserBytes)),
                Map.entry("worker.limits.max-catalogue-bytes", Long.toString(maxCatalogueBytes)),
                Map.entry("worker.dedup.max-bytes", Long.toString(dedupMaxBytes)),
                Map.entry("worker.checkpoint.store", run.resolve("checkpoints").toUri().toString()),
                Map.entry("worker.checkpoint.interval", "PT20S"),
                // The bounds of the state under a flood, not a model trained on random ids meanwhile.
                Map.entry("worker.bootstrap.enabled", "false")))) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            long end = System.nanoTime() + (long) (minutes * 60e9);
            Duration length = Duration.ofNanos(end - System.nanoTime());
            String url = stack.functionsUrl();
            List<LoadGenerator.Result> results = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> threads = new ArrayList<>();
            // The HTTP callers run on the load generator: ingest and item updates as closed loops, forgets at 4 a second.
            threads.add(loop(() -> new LoadGenerator(url, sent).closedLoop(new LoadGenerator.Call("ingest", "/ingest",
                    this::ingestBody, 202, batch + 10), senders, Duration.ZERO, length), results));
            threads.add(loop(() -> new LoadGenerator(url, itemUpdates).closedLoop(new LoadGenerator.Call("items", "/items",
                    this::itemsBody, 202, 50), 1, Duration.ZERO, length), results));
            threads.add(loop(() -> new LoadGenerator(url, forgets).openLoop(new LoadGenerator.Call("forget-user",
                    "/forget-user", this::forgetBody, 202, 1), 4, Duration.ZERO, length, 1), results));
            threads.add(new Thread(() -> raw(stack.bootstrapServers(), end)));
            threads.forEach(Thread::start);
            report(http, stack, end);
            for (Thread t : threads) {
                t.join();
            }
            failed.set(results.stream().mapToLong(LoadGenerator.Result::errors).sum());
            System.out.printf("calls failed: %,d (ingest, items and forgets)%n", failed.get());
        } finally {
            // The broker's log of a flood is gigabytes: it was only ever this run's.
            try (var files = Files.walk(run)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        return 0;
    }

    private void report(HttpClient http, LocalStack stack, long end) throws Exception {
        System.out.println("| s | events sent | applied | dead letters | users held | users evicted | histories MB "
                + "| catalogue MB | categories | dedup MB | evicted by share | heap MB | live after GC MB | metrics KB | checkpoints "
                + "written / failed | ready |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        long start = System.nanoTime();
        double maxHeap = 0;
        double maxMetrics = 0;
        double maxLive = 0;
        double[] maxState = new double[3];
        int notReady = 0;
        int rows = 0;
        MetricsScrape m = null;
        while (System.nanoTime() < end) {
            Thread.sleep(every * 1000L);
            m = MetricsScrape.of(stack.workerUrl());
            boolean ready = ready(http, stack.workerUrl());
            notReady += ready ? 0 : 1;
            rows++;
            double heap = m.sumWhere("jvm_memory_used_bytes", "area=\"heap\"");
            maxHeap = Math.max(maxHeap, heap);
            maxMetrics = Math.max(maxMetrics, m.bodyBytes());
            double histories = m.sumWhere("worker_state_bytes", "part=\"histories\"");
            double catalogue = m.sumWhere("worker_state_bytes", "part=\"catalogue\"");
            double dedup = m.sumWhere("worker_state_bytes", "part=\"dedup\"");
            maxState[0] = Math.max(maxState[0], histories);
            maxState[1] = Math.max(maxState[1], catalogue);
            maxState[2] = Math.max(maxState[2], dedup);
            double live = m.sum("jvm_gc_live_data_size_bytes");
            maxLive = Math.max(maxLive, live);
            System.out.printf("| %.0f | %,d | %,.0f | %,.0f | %,.0f | %,.0f | %,.1f | %,.1f | %,.0f | %,.1f | %,.0f | %,.0f | %,.0f "
                    + "| %,.0f | %,.0f / %,.0f | %s |%n",
                    (System.nanoTime() - start) / 1e9, sent.get(), m.sum("worker_feedback_applied"),
                    m.sum("worker_dead_letters_total"), m.sum("worker_users"), m.sum("worker_users_evicted"),
                    histories / (1 << 20), catalogue / (1 << 20), m.sum("worker_catalogue_categories"),
                    dedup / (1 << 20), m.sum("worker_dedup_evicted_by_share"), heap / (1 << 20), live / (1 << 20),
                    m.bodyBytes() / 1024.0, m.sum("worker_checkpoint_duration_seconds_count"),
                    m.sum("worker_checkpoint_failures_total"), ready ? "yes" : "NO");
        }
        System.out.printf("sent %,d events (%,.0f/s) in ingest calls; %,d item updates, %,d raw topic records, %,d "
                + "forgets%n", sent.get(), sent.get() / (minutes * 60), itemUpdates.get(), rawRecords.get(), forgets.get());
        System.out.printf("peaks: heap %,.0f MB of %s (live after a collection %,.0f MB); histories %,.1f of %,.1f MB; catalogue %,.1f of %,.1f MB; "
                + "dedup %,.1f of %,.1f MB; /q/metrics %,.0f KB; not ready in %d of %d samples%n",
                maxHeap / (1 << 20), workerHeap, maxLive / (1 << 20), maxState[0] / (1 << 20), maxHistoryBytes / (double) (1 << 20),
                maxState[1] / (1 << 20), maxCatalogueBytes / (double) (1 << 20), maxState[2] / (1 << 20),
                dedupMaxBytes / (double) (1 << 20), maxMetrics / 1024, notReady, rows);
        if (m != null) {
            System.out.printf("dead letters by field: %s%n", deadLettersByField(m));
        }
    }

    private static String deadLettersByField(MetricsScrape m) {
        StringBuilder out = new StringBuilder();
        for (String field : List.of("itemId", "userId", "type", "body", "unknown", "categories", "key", "hidden")) {
            double n = m.sumWhere("worker_dead_letters_total", "field=\"" + field + "\"");
            if (n > 0) {
                out.append(out.length() > 0 ? ", " : "").append(field).append(' ').append(String.format("%,.0f", n));
            }
        }
        return out + " (" + m.series("worker_dead_letters_total") + " series)";
    }

    private String pad(String id) {
        return id.length() >= idLength ? id : id + "-".repeat(idLength - id.length());
    }

    /** Runs one loop of the load generator on a thread of its own, keeping its result. */
    private static Thread loop(Callable<LoadGenerator.Result> loop, List<LoadGenerator.Result> results) {
        return new Thread(() -> {
            try {
                results.add(loop.call());
            } catch (Exception e) {
                System.out.println("a load loop stopped: " + e);
            }
        });
    }

    /** Each ingest caller's number and how many events it has made up, for its ids. */
    private final AtomicInteger senderNumbers = new AtomicInteger();
    private final ThreadLocal<long[]> sender = ThreadLocal.withInitial(() -> new long[] { senderNumbers.getAndIncrement(), 0 });

    /** New users on long ids, a slowly growing set of items, and one user turning down new long items. */
    private byte[] ingestBody(java.util.Random random) {
        long[] state = sender.get();
        long s = state[0];
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < batch; i++, state[1]++) {
            long n = state[1];
            long item = n % 4 == 0 ? n : 4 * (long) (random.nextDouble() * Math.min(n / 4 + 1, 12_500));
            body.append(i == 0 ? "" : ",").append("{\"userId\":\"").append(pad("flood-u" + s + "-" + n))
                    .append("\",\"itemId\":\"").append(pad("flood-i" + s + "-" + item))
                    .append("\",\"type\":\"view\"}");
        }
        // One user turning down new long items, each with a new event id: their own budgets.
        for (int i = 0; i < 10; i++) {
            body.append(",{\"userId\":\"flooder-").append(s).append("\",\"itemId\":\"")
                    .append(pad("skipped-" + s + "-" + state[1] + "-" + i)).append("\",\"type\":\"skip\"}");
        }
        return body.append(']').toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private long itemBatches;

    /** Half new items, half a few items re-categorised into new categories each time (one caller). */
    private byte[] itemsBody(java.util.Random random) {
        long n = 50 * itemBatches++;
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 50; i++, n++) {
            String id = i % 2 == 0 ? pad("catalogue-" + n) : "recat-" + i;
            body.append(i == 0 ? "" : ",").append("{\"itemId\":\"").append(id).append("\",\"categories\":[");
            for (int c = 0; c < 50; c++) {
                body.append(c == 0 ? "" : ",").append('"').append(pad("category-" + n + "-" + c)).append('"');
            }
            body.append("]}");
        }
        return body.append(']').toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private final AtomicLong forgotten = new AtomicLong();

    /** Users of the first ingest caller, every thousandth (4 a second: checkpoints coalesce them). */
    private byte[] forgetBody(java.util.Random random) {
        return ("{\"userId\":\"" + pad("flood-u0-" + forgotten.getAndIncrement() * 1000) + "\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private void raw(String bootstrap, long end) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new StringSerializer())) {
            long n = 0;
            while (System.nanoTime() < end) {
                for (int i = 0; i < 100; i++, n++) {
                    producer.send(new ProducerRecord<>("feedback", "raw-" + n, "{\"f" + n + "\":1}"));
                    producer.send(new ProducerRecord<>("items", "raw-" + n, "{\"itemId\":\"raw-" + n + "\",\"g" + n + "\":2}"));
                }
                rawRecords.addAndGet(200);
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            System.out.println("raw producer stopped: " + e);
        }
    }

    private static boolean ready(HttpClient http, String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url + "/q/health/ready")).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }
}
