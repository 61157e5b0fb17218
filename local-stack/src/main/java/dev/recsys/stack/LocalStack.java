package dev.recsys.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.recsys.kafka.LocalKafka;

/**
 * The whole system on one machine: a Kafka broker, the worker and the functions, each in its own process
 * on 127.0.0.1. Used by {@code bin/stack}, the end-to-end tests and the benchmark.
 */
public final class LocalStack implements AutoCloseable {

    /** Where each part listens; {@link #free()} picks unused ports. */
    public record Ports(int kafka, int controller, int worker, int functions) {
        public static Ports defaults() {
            return new Ports(9092, 9093, 8090, 8080);
        }

        public static Ports free() throws IOException {
            return new Ports(LocalKafka.freePort(), LocalKafka.freePort(), LocalKafka.freePort(),
                    LocalKafka.freePort());
        }
    }

    private final LocalKafka kafka;
    private final ManagedApp worker;
    private final ManagedApp functions;

    private LocalStack(LocalKafka kafka, ManagedApp worker, ManagedApp functions) {
        this.kafka = kafka;
        this.worker = worker;
        this.functions = functions;
    }

    /**
     * Starts broker, worker and functions in that order, each once the one before is ready.
     *
     * @param root   the project's root (the apps' jars are under its module folders)
     * @param runDir broker data and logs
     */
    public static LocalStack start(Path root, Path runDir, Ports ports) throws IOException {
        return start(root, runDir, ports, Map.of());
    }

    /** @param workerConfig extra worker settings (a model, training off, ...) */
    public static LocalStack start(Path root, Path runDir, Ports ports, Map<String, String> workerConfig)
            throws IOException {
        Files.createDirectories(runDir);
        LocalKafka kafka = LocalKafka.start(runDir.resolve("kafka"), ports.kafka(), ports.controller());
        String bootstrap = kafka.bootstrapServers();
        Map<String, String> config = new java.util.HashMap<>(workerConfig);
        config.put("kafka.bootstrap.servers", bootstrap);
        ManagedApp worker = new ManagedApp("gpu-worker", jar(root, "gpu-worker"), ports.worker(), config,
                runDir.resolve("worker.log"));
        // Open: the local stack takes requests without API keys (a deployment fails closed without keys).
        ManagedApp functions = new ManagedApp("functions", jar(root, "functions"), ports.functions(),
                Map.of("kafka.bootstrap.servers", bootstrap, "functions.auth.open", "true"),
                runDir.resolve("functions.log"));
        LocalStack stack = new LocalStack(kafka, worker, functions);
        try {
            worker.start();
            functions.start();
        } catch (IOException | RuntimeException e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    public String functionsUrl() {
        return functions.url();
    }

    public String workerUrl() {
        return worker.url();
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** The broker's process, for tests that pause it (SIGSTOP) to hold a commit past its bound. */
    public long brokerPid() {
        return kafka.pid();
    }

    /** Stops the worker gracefully (for restart tests); {@link #startWorker()} brings it back. */
    public void stopWorker() {
        worker.close();
    }

    /** Kills the worker with SIGKILL, as a crash would. */
    public void killWorker() {
        worker.kill();
    }

    public void startWorker() throws IOException {
        worker.start();
    }

    /** Starts the worker with some settings changed from those the stack started it with. */
    public void startWorker(Map<String, String> changed) throws IOException {
        worker.start(changed);
    }

    @Override
    public void close() {
        functions.close();
        worker.close();
        kafka.close();
    }

    static Path jar(Path root, String module) {
        return root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }
}
