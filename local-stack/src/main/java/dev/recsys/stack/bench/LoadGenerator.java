package dev.recsys.stack.bench;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import dev.recsys.stack.client.HttpConnection;

/**
 * The benchmarks' one load generator: requests to the functions over keep-alive connections, either at a fixed
 * rate whatever the answers do (open loop) or as fast as a fixed number of clients can go (closed loop). A
 * request that fails to connect or read counts as an error and the connection is replaced.
 * Latency is in microseconds; a warm-up is run and thrown away first.
 */
public final class LoadGenerator {

    /**
     * One kind of request.
     *
     * @param body a request body, drawn with the client's random source
     * @param success the status that counts as success
     * @param units what one success completes (events in an ingest batch, one answer)
     */
    public record Call(String name, String path, Function<Random, byte[]> body, int success, int units) {

        /** A call answered 200 with one answer. */
        public Call(String name, String path, Function<Random, byte[]> body) {
            this(name, path, body, 200, 1);
        }
    }

    /** @param rate units completed per second; @param latency microseconds per request */
    public record Result(double rate, Histogram latency, long errors) {
    }

    private final URI functions;
    private final AtomicLong progress;

    public LoadGenerator(String functionsUrl) {
        this(functionsUrl, new AtomicLong());
    }

    /** @param progress counts the units completed by every loop of this generator, warm-ups included, as they go */
    public LoadGenerator(String functionsUrl, AtomicLong progress) {
        this.functions = URI.create(functionsUrl);
        this.progress = progress;
    }

    /**
     * {@code call} at {@code rate} a second for {@code measured}, after {@code warmup}, over enough connections
     * that each has 50 ms between requests (at least {@code minConnections}), so that one slow answer delays
     * few others. Latency counts from when a request was due: a slow answer that delays the next request is
     * charged to it.
     */
    public Result openLoop(Call call, int rate, Duration warmup, Duration measured, int minConnections)
            throws Exception {
        int connections = Math.max(minConnections, rate / 20);
        if (!warmup.isZero()) {
            openLoop(call, rate, warmup, connections, new Recorder(3), new AtomicLong());
        }
        Recorder recorder = new Recorder(3);
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long sent = openLoop(call, rate, measured, connections, recorder, errors);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(sent * call.units() / seconds, recorder.getIntervalHistogram(), errors.get());
    }

    private long openLoop(Call call, int rate, Duration length, int connections, Recorder recorder,
            AtomicLong errors) throws Exception {
        long period = 1_000_000_000L / rate;
        long total = rate * length.toSeconds();
        long start = System.nanoTime() + 50_000_000L;
        List<Future<?>> clients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        try {
            for (int c = 0; c < connections; c++) {
                int client = c;
                clients.add(pool.submit(() -> {
                    Random random = new Random(client);
                    try (Client conn = new Client(functions)) {
                        for (long i = client; i < total; i += connections) {
                            long due = start + i * period;
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                TimeUnit.NANOSECONDS.sleep(wait);
                            }
                            boolean ok = conn.send(call, random);
                            recorder.recordValue(Math.max(1, (System.nanoTime() - due) / 1000));
                            if (ok) {
                                progress.addAndGet(call.units());
                            } else {
                                errors.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : clients) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return total;
    }

    /**
     * {@code clients} connections each sending {@code call} as soon as the previous answer came, for
     * {@code warmup} and then {@code measured}; a connection that fails is replaced and the request counted
     * as an error.
     */
    public Result closedLoop(Call call, int clients, Duration warmup, Duration measured) throws Exception {
        Recorder recorder = new Recorder(3);
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long warmupEnd = System.nanoTime() + warmup.toNanos();
        long end = warmupEnd + measured.toNanos();
        List<Future<?>> futures = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            for (int c = 0; c < clients; c++) {
                int client = c;
                futures.add(pool.submit(() -> {
                    Random random = new Random(client);
                    try (Client conn = new Client(functions)) {
                        while (System.nanoTime() < end) {
                            long t0 = System.nanoTime();
                            boolean ok = conn.send(call, random);
                            if (ok) {
                                progress.addAndGet(call.units());
                            }
                            if (t0 < warmupEnd) {
                                continue;
                            }
                            recorder.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
                            if (ok) {
                                done.addAndGet(call.units());
                            } else {
                                errors.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(warmupEnd - System.nanoTime())));
            recorder.reset();
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return new Result(done.get() / (double) measured.toSeconds(), recorder.getIntervalHistogram(), errors.get());
    }

    /**
     * Every body once, in order, on one connection, as a data set is loaded: the first answer other than
     * {@code success} stops it, since a data set must go in whole.
     *
     * @param units what each body holds (events), for the rate and the progress
     */
    public Result inOrder(String path, List<byte[]> bodies, int success, ToLongFunction<byte[]> units)
            throws IOException {
        Histogram latency = new Histogram(3);
        long done = 0;
        long t0 = System.nanoTime();
        try (HttpConnection conn = new HttpConnection(functions)) {
            for (byte[] body : bodies) {
                long t = System.nanoTime();
                int status = conn.post(path, body);
                if (status != success) {
                    throw new IllegalStateException(path + " answered " + status + " after " + done + " units");
                }
                latency.recordValue(Math.max(1, (System.nanoTime() - t) / 1000));
                long n = units.applyAsLong(body);
                done += n;
                progress.addAndGet(n);
            }
        }
        return new Result(done / ((System.nanoTime() - t0) / 1e9), latency, 0);
    }

    /** One client's keep-alive connection; a request that fails to connect or read is an error, and the connection is replaced. */
    private static final class Client implements AutoCloseable {

        private final URI functions;
        private HttpConnection conn;

        Client(URI functions) throws IOException {
            this.functions = functions;
            this.conn = new HttpConnection(functions);
        }

        /** Sends one request of {@code call}; true when it was answered with the call's success status. */
        boolean send(Call call, Random random) throws IOException {
            try {
                return conn.post(call.path(), call.body().apply(random)) == call.success();
            } catch (IOException e) {
                conn.close();
                conn = new HttpConnection(functions);
                return false;
            }
        }

        @Override
        public void close() throws IOException {
            conn.close();
        }
    }
}
