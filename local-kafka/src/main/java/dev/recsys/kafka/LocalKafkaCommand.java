package dev.recsys.kafka;

import java.nio.file.Files;
import java.nio.file.Path;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code start} and {@code stop} for a broker that outlives the command: {@code bin/kafka} calls this.
 * The broker's PID is kept in {@code <dir>/kafka.pid}; stop signals only that process.
 */
@Command(name = "kafka", mixinStandardHelpOptions = true,
        description = "Starts or stops a local single-node Kafka broker on 127.0.0.1 that outlives this command.")
public final class LocalKafkaCommand implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--dir", defaultValue = ".run/kafka", scope = CommandLine.ScopeType.INHERIT,
            description = "the broker's data and pid file (${DEFAULT-VALUE})")
    Path dir;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LocalKafkaCommand()).execute(args));
    }

    /** Without start or stop: the usage, as an error. */
    @Override
    public Integer call() {
        new CommandLine(this).usage(System.err);
        return 2;
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "starts the broker unless it runs")
    int start(@Option(names = "--port", paramLabel = "PORT", defaultValue = "9092",
                    description = "client port (${DEFAULT-VALUE})") int port,
            @Option(names = "--controller-port", paramLabel = "PORT",
                    description = "KRaft controller port (default: port + 1)") Integer controllerPort)
            throws Exception {
        Path pidFile = dir.resolve("kafka.pid");
        if (running(pidFile)) {
            System.out.println("Kafka already running (pid " + Files.readString(pidFile).trim() + ")");
            return 0;
        }
        LocalKafka kafka = LocalKafka.start(dir, port, controllerPort == null ? port + 1 : controllerPort);
        System.out.println("Kafka ready on " + kafka.bootstrapServers() + " (pid " + kafka.pid()
                + ", data in " + dir + ", topics " + LocalKafka.TOPICS.keySet() + ")");
        return 0; // leaves the broker running; this JVM exits
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "stops the broker this command started")
    int stop() throws Exception {
        Path pidFile = dir.resolve("kafka.pid");
        if (!running(pidFile)) {
            System.out.println("Kafka not running (no live pid in " + pidFile + ")");
            return 0;
        }
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        LocalKafka.stop(ProcessHandle.of(pid).orElseThrow());
        Files.deleteIfExists(pidFile);
        System.out.println("Kafka stopped (pid " + pid + ")");
        return 0;
    }

    private static boolean running(Path pidFile) throws Exception {
        if (!Files.exists(pidFile)) {
            return false;
        }
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .flatMap(h -> h.info().commandLine())
                .filter(c -> c.contains("kafka.Kafka"))
                .isPresent();
    }
}
