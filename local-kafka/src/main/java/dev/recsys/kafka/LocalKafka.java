package dev.recsys.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft broker in a child process, run from the Kafka jars that Maven gathered into
 * {@code local-kafka/target/kafka-lib}. Listens on 127.0.0.1 only. Used by the tests, the local stack and
 * the {@code bin/kafka} command.
 */
public final class LocalKafka implements AutoCloseable {

    /** The project's topics and their partition counts; the worker dead-letters what it refuses to *-dlq. */
    public static final Map<String, Integer> TOPICS = Map.of(
            "feedback", 6,
            "score-requests", 6, // as many as feedback: shards answer a user's requests where their events are
            "score-replies", 2,
            "items", 1,
            "feedback-dlq", 1,
            "score-requests-dlq", 1,
            "items-dlq", 1);

    /** Topics that keep only the newest record per key: the item catalogue. */
    public static final java.util.Set<String> COMPACTED = java.util.Set.of("items");

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final int port;
    private final Path dir;

    private LocalKafka(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Formats {@code dir} if it is new, starts the broker, waits until it answers and the project's topics
     * exist. The data in {@code dir} survives a restart on the same folder.
     */
    public static LocalKafka start(Path dir, int port, int controllerPort) throws IOException {
        return start(dir, port, controllerPort, null);
    }

    /**
     * As {@link #start(Path, int, int)}, with a second client listener speaking TLS when {@code tls} is given
     * (the plaintext one stays for the broker's own use and the topic set-up).
     */
    public static LocalKafka start(Path dir, int port, int controllerPort, TlsListener tls) throws IOException {
        Path lib = kafkaLib();
        // Another broker on the port would answer the readiness check in place of this one.
        requireFree(port);
        requireFree(controllerPort);
        if (tls != null) {
            requireFree(tls.port());
        }
        Files.createDirectories(dir);
        Path config = writeConfig(dir, port, controllerPort, tls);
        Path log = dir.resolve("broker.log");
        if (!Files.exists(dir.resolve("data/meta.properties"))) {
            format(lib, config, log);
        }
        List<String> cmd = java(lib, "-Xms256m", "-Xmx1g",
                "-Dlog4j2.configurationFile=" + writeLogConfig(dir).toUri(),
                "kafka.Kafka", config.toString());
        Process process = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        LocalKafka kafka = new LocalKafka(process, port, dir);
        try {
            kafka.awaitReadyAndCreateTopics(log);
        } catch (RuntimeException | IOException e) {
            kafka.close();
            throw e;
        }
        Files.writeString(dir.resolve("kafka.pid"), Long.toString(process.pid()));
        return kafka;
    }

    /** A port nothing listens on right now, on 127.0.0.1. */
    /** A broker whose broker and controller listeners take two distinct free loopback ports. */
    public static LocalKafka startOnFreePorts(Path dir) throws IOException {
        int[] ports = freePorts(2);
        return start(dir, ports[0], ports[1]);
    }

    public static int[] freePorts(int n) throws IOException {
        return LocalProcesses.freePorts(n);
    }

    public static int freePort() throws IOException {
        return LocalProcesses.freePort();
    }

    private static void requireFree(int port) throws IOException {
        try (var socket = new java.net.ServerSocket()) {
            socket.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
        } catch (java.net.BindException e) {
            throw new IllegalStateException("port " + port + " on 127.0.0.1 is in use: stop what listens there"
                    + " (bin/kafka stop, if it is a broker started by this project) or choose another port", e);
        }
    }

    /** Stops the broker gracefully, then forcibly if it does not stop within 30 s. */
    @Override
    public void close() {
        stop(process.toHandle());
    }

    static void stop(ProcessHandle handle) {
        handle.destroy();
        try {
            handle.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            handle.destroyForcibly();
        }
    }

    private void awaitReadyAndCreateTopics(Path log) throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        try (Admin admin = Admin.create(props)) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Kafka broker exited with " + process.exitValue()
                            + "; last lines of " + log + ":\n" + LocalProcesses.tail(log));
                }
                try {
                    Set<String> existing = admin.listTopics().names().get(5, TimeUnit.SECONDS);
                    List<NewTopic> missing = TOPICS.entrySet().stream()
                            .filter(t -> !existing.contains(t.getKey()))
                            .map(t -> new NewTopic(t.getKey(), t.getValue(), (short) 1).configs(
                                    COMPACTED.contains(t.getKey()) ? Map.of("cleanup.policy", "compact") : Map.of()))
                            .collect(Collectors.toList());
                    if (!missing.isEmpty()) {
                        admin.createTopics(missing).all().get(10, TimeUnit.SECONDS);
                    }
                    return;
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Kafka broker not ready after " + READY_TIMEOUT
                                + "; last lines of " + log + ":\n" + LocalProcesses.tail(log), e);
                    }
                    LocalProcesses.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for Kafka", e);
                }
            }
        }
    }

    private static void format(Path lib, Path config, Path log) throws IOException {
        List<String> cmd = java(lib, "kafka.tools.StorageTool", "format", "--standalone",
                "-t", Uuid.randomUuid().toString(), "-c", config.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("kafka-storage format failed; see " + log + ":\n" + LocalProcesses.tail(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting Kafka storage", e);
        }
    }

    /** A TLS client listener: its port, and the broker's key store (PKCS12) with its password. */
    public record TlsListener(int port, Path keyStore, String password) {
    }

    private static Path writeConfig(Path dir, int port, int controllerPort, TlsListener tls) throws IOException {
        String ssl = tls == null ? "" : ",SSL://127.0.0.1:" + tls.port();
        String cfg = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort + ssl,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port + ssl,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SSL:SSL",
                tls == null ? "" : "ssl.keystore.type=PKCS12",
                tls == null ? "" : "ssl.keystore.location=" + tls.keyStore().toAbsolutePath(),
                tls == null ? "" : "ssl.keystore.password=" + tls.password(),
                tls == null ? "" : "ssl.key.password=" + tls.password(),
                "log.dirs=" + dir.resolve("data").toAbsolutePath(),
                // Topics are created explicitly, so a misspelt topic name fails instead of appearing.
                "auto.create.topics.enable=false",
                "num.partitions=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=4",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                // One local broker: no reason to wait 3 s for more group members on each new group.
                "group.initial.rebalance.delay.ms=0",
                // Two cores: fewer broker threads, fewer context switches (one bench run each: producer perf
                // 198k against 179k records/s, ingest 85k against 77k events/s with the defaults 3 and 8).
                "num.network.threads=1",
                "num.io.threads=2",
                "");
        Path config = dir.resolve("server.properties");
        Files.writeString(config, cfg);
        return config;
    }

    private static Path writeLogConfig(Path dir) throws IOException {
        Path f = dir.resolve("log4j2.properties");
        Files.writeString(f, String.join("\n",
                "rootLogger.level=WARN",
                "rootLogger.appenderRef.out.ref=OUT",
                "appender.out.type=Console",
                "appender.out.name=OUT",
                "appender.out.layout.type=PatternLayout",
                "appender.out.layout.pattern=[%d] %p %m (%c)%n",
                "logger.kafka.name=kafka.server.KafkaRaftServer",
                "logger.kafka.level=INFO",
                ""));
        return f;
    }

    private static List<String> java(Path lib, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(lib.toAbsolutePath() + "/*");
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The folder of Kafka jars: {@code -Dlocal.kafka.lib}, else {@code kafka-lib} beside this class's jar. */
    static Path kafkaLib() {
        Path lib = LocalProcesses.besideBuild("local.kafka.lib", LocalKafka.class, "kafka-lib");
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException("Kafka jars not found at " + lib
                    + ": build the local-kafka module first (mvn -pl local-kafka package)");
        }
        return lib;
    }
}
