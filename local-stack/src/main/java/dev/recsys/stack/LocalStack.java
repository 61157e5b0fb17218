package dev.recsys.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
            int[] p = LocalKafka.freePorts(4);
            return new Ports(p[0], p[1], p[2], p[3]);
        }
    }

    /** The feedback group serving shards share (the trainer's is the worker's default). */
    public static final String SHARDS_GROUP = "gpu-worker-shards";

    private final LocalKafka kafka;
    private final ManagedApp worker;
    private final ManagedApp functions;
    private final List<ManagedApp> shards = new ArrayList<>();

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
        return start(root, runDir, ports, workerConfig, 0);
    }

    /**
     * With {@code shards} above 0, the worker is a dedicated trainer ({@code worker.mode=trainer}) and that
     * many serving shards ({@code worker.mode=shard}, one feedback group) answer the score requests; the
     * worker settings go to all of them and must name a checkpoint store (the shards follow the trainer's).
     */
    public static LocalStack start(Path root, Path runDir, Ports ports, Map<String, String> workerConfig, int shards)
            throws IOException {
        if (shards > 0 && !workerConfig.containsKey("worker.checkpoint.store")) {
            throw new IllegalArgumentException("serving shards need worker.checkpoint.store: they follow the trainer's");
        }
        Files.createDirectories(runDir);
        LocalKafka kafka = LocalKafka.start(runDir.resolve("kafka"), ports.kafka(), ports.controller());
        String bootstrap = kafka.bootstrapServers();
        Map<String, String> config = new java.util.HashMap<>(workerConfig);
        config.put("kafka.bootstrap.servers", bootstrap);
        Map<String, String> trainer = new java.util.HashMap<>(config);
        if (shards > 0) {
            trainer.put("worker.mode", "trainer");
        }
        ManagedApp worker = new ManagedApp(shards > 0 ? "trainer" : "gpu-worker", jar(root, "gpu-worker"),
                ports.worker(), trainer, runDir.resolve("worker.log"));
        // Open: the local stack takes requests without API keys (a deployment fails closed without keys).
        ManagedApp functions = new ManagedApp("functions", jar(root, "functions"), ports.functions(),
                Map.of("kafka.bootstrap.servers", bootstrap, "functions.auth.open", "true"),
                runDir.resolve("functions.log"));
        LocalStack stack = new LocalStack(kafka, worker, functions);
        for (int i = 0; i < shards; i++) {
            Map<String, String> shard = new java.util.HashMap<>(config);
            shard.put("worker.mode", "shard");
            shard.put("worker.instance-id", "shard-" + i);
            shard.put("mp.messaging.incoming.feedback.group.id", SHARDS_GROUP);
            shard.putIfAbsent("worker.checkpoint.poll", "PT1S");
            shard.remove("worker.model.path"); // the model comes from the trainer's checkpoints
            int port = ports.equals(Ports.defaults()) ? ports.worker() + 1 + i : LocalKafka.freePort();
            stack.shards.add(new ManagedApp("shard-" + i, jar(root, "gpu-worker"), port, shard,
                    runDir.resolve("shard-" + i + ".log")));
        }
        try {
            worker.start();
            for (ManagedApp shard : stack.shards) {
                shard.start();
            }
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
    /** The worker's process id (the single worker, or the trainer with shards). */
    public long workerPid() {
        return worker.pid();
    }

    public long functionsPid() {
        return functions.pid();
    }

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

    /** Each serving shard's base URL (its health at /q/health), in shard order; empty without shards. */
    public List<String> shardUrls() {
        return shards.stream().map(ManagedApp::url).toList();
    }

    /** Kills serving shard {@code i} with SIGKILL, as a crash would. */
    public void killShard(int i) {
        shards.get(i).kill();
    }

    /**
     * Stops serving shard {@code i} gracefully (SIGTERM); a static member does not leave its group, so its
     * partitions move after the session timeout.
     */
    public void stopShard(int i) {
        shards.get(i).close();
    }

    /** Starts serving shard {@code i} again (same instance id: it rejoins the shards' group). */
    public void startShard(int i) throws IOException {
        shards.get(i).start();
    }

    @Override
    public void close() {
        functions.close();
        shards.forEach(ManagedApp::close);
        worker.close();
        kafka.close();
    }

    public static Path jar(Path root, String module) {
        return root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }
}
