package dev.recsys.stack;

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
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.recsys.kafka.LocalProcesses;

/** One of the project's Quarkus apps run from its packaged jar in a child process, ready when healthy. */
public final class ManagedApp implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final String name;
    private final Path jar;
    private final Map<String, String> config;
    private final Path log;
    private final int port;
    private Process process;

    public ManagedApp(String name, Path jar, int port, Map<String, String> config, Path log) {
        this.name = name;
        this.jar = jar;
        this.port = port;
        this.config = config;
        this.log = log;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public void start() throws IOException {
        start(Map.of());
    }

    /** @param changed settings that replace or add to the app's own for this start */
    public void start(Map<String, String> changed) throws IOException {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " not found: build first (mvn -DskipTests package)");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + System.getProperty("stack.app.xmx", "1g"));
        cmd.add("-Dquarkus.http.port=" + port);
        Map<String, String> settings = new java.util.HashMap<>(config);
        settings.putAll(changed);
        settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(cmd);
        // PyTorch's CPU allocator asks for huge pages: a catalogue-sized score buffer then costs a few page
        // faults instead of one per 4 KiB (measured: batch 256 over 1,000,000 items 2.7 s -> 1.3 s). Only the
        // worker loads PyTorch; the other apps ignore it.
        builder.environment().put("THP_MEM_ALLOC_ENABLE", "1");
        process = builder.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        awaitReady();
    }

    private void awaitReady() throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + name, e);
            }
            LocalProcesses.sleep(200);
        }
        close();
        throw new IllegalStateException(name + " not ready after " + READY_TIMEOUT + "; see " + log);
    }

    /** SIGKILL: no shutdown hook, no final checkpoint, as in a crash. */
    public void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Graceful stop (SIGTERM), forced after 20 s. */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        LocalProcesses.stop(process, Duration.ofSeconds(20));
        process = null;
    }
}
