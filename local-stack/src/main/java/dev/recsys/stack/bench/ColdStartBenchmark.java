package dev.recsys.stack.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import dev.recsys.eval.bench.Machine;
import dev.recsys.kafka.LocalKafka;
import dev.recsys.stack.LocalStack;

/**
 * {@code bin/bench-coldstart}: how long the functions take from process start to the first answered
 * request, in JVM mode, plain and with an AppCDS archive (a dynamic archive the benchmark records in a
 * training run first). The request is an ingest with one event, answered 202 once it is durable in the
 * broker, so the time includes the first Kafka transaction.
 */
@Command(name = "bench-coldstart", mixinStandardHelpOptions = true,
        description = "The functions' cold start to the first answered ingest, plain JVM and with AppCDS; and the "
                + "first requests once ready, with the start-up priming off and on.")
public final class ColdStartBenchmark implements java.util.concurrent.Callable<Integer> {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();

    @Option(names = "--runs", defaultValue = "10", description = "cold starts per mode (${DEFAULT-VALUE})")
    int runs;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ColdStartBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path root = Path.of(System.getProperty("stack.root", ".")).toAbsolutePath().normalize();
        Path jar = LocalStack.jar(root, "functions");
        Path run = Files.createTempDirectory("recsys-coldstart-");
        System.out.println("machine: " + Machine.describe());
        try (LocalKafka kafka = LocalKafka.startOnFreePorts(run.resolve("kafka"))) {
            Path archive = run.resolve("functions.jsa");
            // Training run: the JVM writes the classes it loaded to the archive when it exits.
            coldStart(jar, kafka, List.of("-XX:ArchiveClassesAtExit=" + archive), run.resolve("training.log"));
            if (!Files.exists(archive)) {
                throw new IllegalStateException("no AppCDS archive was written; see " + run.resolve("training.log"));
            }
            List<Long> plain = new ArrayList<>();
            List<Long> cds = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                plain.add(coldStart(jar, kafka, List.of(), run.resolve("plain-" + i + ".log")));
                cds.add(coldStart(jar, kafka, List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on"),
                        run.resolve("cds-" + i + ".log")));
            }
            System.out.printf("%nfunctions (Quarkus, JVM mode, java -jar, -Xmx256m), process start to the first ingest"
                    + " answered 202, %d runs each, ms:%n%n", runs);
            System.out.println("| mode | median | p99 (max of " + runs + ") | min |");
            System.out.println("|---|---|---|---|");
            System.out.println(row("JVM", plain));
            System.out.println(row("JVM + AppCDS (dynamic archive)", cds));

            // What SnapStart leaves to a restored instance: the start (and the priming) happen before the
            // snapshot, the first requests after it. Here: the first requests once the functions say ready.
            List<long[]> unprimed = new ArrayList<>();
            List<long[]> primed = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                unprimed.add(firstRequests(jar, kafka, false, run.resolve("unprimed-" + i + ".log")));
                primed.add(firstRequests(jar, kafka, true, run.resolve("primed-" + i + ".log")));
            }
            System.out.printf("%nfirst requests once ready (/q/health/ready 200), functions.prime off and on, %d runs"
                    + " each, median ms (max):%n%n", runs);
            System.out.println("| priming | start to ready | first ingest (202, opens the transaction) "
                    + "| first invalid recommend (400: JSON, validation, error body) |");
            System.out.println("|---|---|---|---|");
            System.out.println(firstRow("off", unprimed));
            System.out.println(firstRow("on", primed));
        }
        return 0;
    }

    /** Starts the functions, waits until ready, then times a first ingest and a first refused recommend. */
    private static long[] firstRequests(Path jar, LocalKafka kafka, boolean prime, Path log) throws Exception {
        int port = LocalKafka.freePort();
        String base = "http://127.0.0.1:" + port;
        HttpRequest ready = HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).timeout(Duration.ofSeconds(5))
                .build();
        try (Launched f = launch(jar, kafka, port, List.of("-Dfunctions.prime=" + prime), log)) {
            long readyMs = f.until(ready, 200);
            long ingest = timed(post(base + "/ingest", INGEST), 202);
            long refused = timed(post(base + "/recommend", "{\"userId\":\"\",\"k\":0}"), 400);
            return new long[] { readyMs, ingest, refused };
        }
    }

    /** Starts the functions, ingests one event until answered 202, stops them; returns the ms it took. */
    private static long coldStart(Path jar, LocalKafka kafka, List<String> jvmFlags, Path log) throws Exception {
        int port = LocalKafka.freePort();
        try (Launched f = launch(jar, kafka, port, jvmFlags, log)) {
            return f.until(post("http://127.0.0.1:" + port + "/ingest", INGEST), 202);
        }
    }

    private static final String INGEST = "[{\"userId\":\"cold\",\"itemId\":\"start\",\"type\":\"view\"}]";

    private static Launched launch(Path jar, LocalKafka kafka, int port, List<String> jvmFlags, Path log)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m"));
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-Dquarkus.http.port=" + port, "-Dkafka.bootstrap.servers=" + kafka.bootstrapServers(),
                "-Dfunctions.auth.open=true", "-jar", jar.toString()));
        long start = System.nanoTime();
        return new Launched(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start(),
                start, log);
    }

    /** A started functions process; closing it stops it gracefully, so that a training run writes its archive. */
    private record Launched(Process process, long start, Path log) implements AutoCloseable {

        /** Sends {@code request} until it is answered {@code status}; returns the ms since the process started. */
        long until(HttpRequest request, int status) throws Exception {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("functions exited with " + process.exitValue() + "; see " + log);
                }
                try {
                    if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == status) {
                        return (System.nanoTime() - start) / 1_000_000;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                if (System.nanoTime() - start > 60e9) {
                    throw new IllegalStateException("no " + status + " within 60 s; see " + log);
                }
                Thread.sleep(5);
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static HttpRequest post(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static long timed(HttpRequest request, int expected) throws Exception {
        long t0 = System.nanoTime();
        int status = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (status != expected) {
            throw new IllegalStateException(request.uri() + " answered " + status + ", not " + expected);
        }
        return ms;
    }

    private static String firstRow(String label, List<long[]> runs) {
        StringBuilder row = new StringBuilder("| " + label + " |");
        for (int column = 0; column < 3; column++) {
            int c = column;
            List<Long> sorted = runs.stream().map(r -> r[c]).sorted().toList();
            row.append(" %d (%d) |".formatted(sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1)));
        }
        return row.toString();
    }

    private static String row(String label, List<Long> ms) {
        List<Long> sorted = ms.stream().sorted().toList();
        return "| %s | %d | %d | %d |".formatted(label, sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1),
                sorted.get(0));
    }
}
