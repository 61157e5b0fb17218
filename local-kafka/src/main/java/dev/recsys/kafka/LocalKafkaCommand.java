package dev.recsys.kafka;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code start} and {@code stop} for a broker that outlives the command: {@code bin/kafka} calls this.
 * The broker's PID is kept in {@code <dir>/kafka.pid}; stop signals only that process.
 */
public final class LocalKafkaCommand {

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            usage();
        }
        Path dir = Path.of(option(args, "--dir", ".run/kafka"));
        Path pidFile = dir.resolve("kafka.pid");
        switch (args[0]) {
            case "start" -> {
                if (running(pidFile)) {
                    System.out.println("Kafka already running (pid " + Files.readString(pidFile).trim() + ")");
                    return;
                }
                int port = Integer.parseInt(option(args, "--port", "9092"));
                int controllerPort = Integer.parseInt(option(args, "--controller-port", String.valueOf(port + 1)));
                LocalKafka kafka = LocalKafka.start(dir, port, controllerPort);
                System.out.println("Kafka ready on " + kafka.bootstrapServers() + " (pid " + kafka.pid()
                        + ", data in " + dir + ", topics " + LocalKafka.TOPICS.keySet() + ")");
                // Leaves the broker running; this JVM exits.
                System.exit(0);
            }
            case "stop" -> {
                if (!running(pidFile)) {
                    System.out.println("Kafka not running (no live pid in " + pidFile + ")");
                    return;
                }
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                LocalKafka.stop(ProcessHandle.of(pid).orElseThrow());
                Files.deleteIfExists(pidFile);
                System.out.println("Kafka stopped (pid " + pid + ")");
            }
            default -> usage();
        }
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

    private static String option(String[] args, String name, String fallback) {
        for (int i = 1; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private static void usage() {
        System.err.println("usage: LocalKafkaCommand start|stop [--dir DIR] [--port 9092] [--controller-port 9093]");
        System.exit(2);
    }
}
