package dev.recsys.stack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.recsys.eval.bench.Machine;

/**
 * {@code bin/bench-flood}: floods the stack's ingest with events whose user ids are all new and one in four
 * of whose item ids is new (the others name one of the first 12,500 new items of their sender, so the flood
 * goes on adding users once new items are refused), as fast as ingest takes them, for {@code --minutes},
 * against a worker with state limits and a fixed heap. Every few seconds it prints the worker's heap, users held and evicted, items held and refused, and
 * whether the worker is ready: the limits must hold the heap under its bound while the worker keeps serving.
 */
@Command(name = "bench-flood", mixinStandardHelpOptions = true,
        description = "Unique user and item ids at the ingest rate against the worker's state limits.")
public final class FloodBenchmark implements Callable<Integer> {

    @Option(names = "--minutes", defaultValue = "5", description = "how long to flood (default ${DEFAULT-VALUE})")
    double minutes;

    @Option(names = "--max-users", defaultValue = "200000", description = "worker.limits.max-users (${DEFAULT-VALUE})")
    int maxUsers;

    @Option(names = "--max-items", defaultValue = "100000", description = "worker.limits.max-items (${DEFAULT-VALUE})")
    int maxItems;

    @Option(names = "--worker-heap", defaultValue = "1g", description = "the worker's -Xmx (${DEFAULT-VALUE})")
    String workerHeap;

    @Option(names = "--senders", defaultValue = "2", description = "concurrent ingest callers (${DEFAULT-VALUE})")
    int senders;

    @Option(names = "--batch", defaultValue = "500", description = "events per ingest call (${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--every", defaultValue = "15", description = "seconds between report rows (${DEFAULT-VALUE})")
    int every;

    public static void main(String[] args) {
        System.exit(new CommandLine(new FloodBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path root = Path.of(System.getProperty("stack.root", ".")).toAbsolutePath().normalize();
        System.setProperty("stack.app.xmx", workerHeap);
        System.out.println("machine: " + Machine.describe());
        System.out.printf("flood: %.1f min of all-new user and item ids through /ingest (%d senders, %d per call); "
                + "worker -Xmx%s, max-users %,d, max-items %,d%n", minutes, senders, batch, workerHeap, maxUsers, maxItems);
        Path run = Files.createTempDirectory("recsys-flood-");
        try (LocalStack stack = LocalStack.start(root, run,
                LocalStack.Ports.free(), Map.of("worker.limits.max-users", Integer.toString(maxUsers),
                        "worker.limits.max-items", Integer.toString(maxItems),
                        // The bounds of the state under a flood, not a model trained on random ids meanwhile.
                        "worker.bootstrap.enabled", "false"))) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            AtomicLong sent = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            long end = System.nanoTime() + (long) (minutes * 60e9);
            Thread[] threads = new Thread[senders];
            for (int s = 0; s < senders; s++) {
                int sender = s;
                threads[s] = new Thread(() -> flood(http, stack.functionsUrl(), sender, end, sent, failed));
                threads[s].start();
            }
            System.out.println("| s | events sent | applied | refused | users held | users evicted | items held "
                    + "| heap used MB | ready |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            long start = System.nanoTime();
            double maxHeap = 0;
            int notReady = 0;
            int rows = 0;
            while (System.nanoTime() < end) {
                Thread.sleep(every * 1000L);
                MetricsScrape m = MetricsScrape.of(stack.workerUrl());
                boolean ready = ready(http, stack.workerUrl());
                notReady += ready ? 0 : 1;
                rows++;
                double heap = m.sumWhere("jvm_memory_used_bytes", "area=\"heap\"");
                maxHeap = Math.max(maxHeap, heap);
                System.out.printf("| %.0f | %,d | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | %s |%n",
                        (System.nanoTime() - start) / 1e9, sent.get(), m.sum("worker_feedback_applied"),
                        m.sum("worker_dead_letters_total"), m.sum("worker_users"), m.sum("worker_users_evicted"),
                        m.sum("worker_items"), heap / (1 << 20), ready ? "yes" : "NO");
            }
            for (Thread t : threads) {
                t.join();
            }
            System.out.printf("sent %,d events (%,.0f/s), %d ingest calls failed; heap peak %,.0f MB of %s; "
                    + "not ready in %d of %d samples%n", sent.get(), sent.get() / (minutes * 60), failed.get(),
                    maxHeap / (1 << 20), workerHeap, notReady, rows);
        } finally {
            // The broker's log of a flood is gigabytes: it was only ever this run's.
            try (var files = Files.walk(run)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        return 0;
    }

    private void flood(HttpClient http, String url, int sender, long end, AtomicLong sent, AtomicLong failed) {
        long n = 0;
        java.util.Random random = new java.util.Random(sender);
        while (System.nanoTime() < end) {
            StringBuilder body = new StringBuilder("[");
            for (int i = 0; i < batch; i++, n++) {
                long item = n % 4 == 0 ? n : 4 * (long) (random.nextDouble() * Math.min(n / 4 + 1, 12_500));
                body.append(i == 0 ? "" : ",").append("{\"userId\":\"flood-u").append(sender).append('-').append(n)
                        .append("\",\"itemId\":\"flood-i").append(sender).append('-').append(item)
                        .append("\",\"type\":\"view\"}");
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url + "/ingest"))
                        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.append(']').toString())).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 202) {
                    sent.addAndGet(batch);
                } else {
                    failed.incrementAndGet();
                }
            } catch (Exception e) {
                failed.incrementAndGet();
            }
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
