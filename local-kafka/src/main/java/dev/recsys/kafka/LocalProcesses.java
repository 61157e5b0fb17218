package dev.recsys.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the local server launchers share: the broker here, S3Proxy (test-support), the stack's apps (local-stack). */
public final class LocalProcesses {

    private LocalProcesses() {
    }

    /** A port nothing listens on right now, on 127.0.0.1. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * {@code n} distinct free ports: each socket stays open until all are picked, so the system cannot hand
     * the same port out twice (two calls to {@link #freePort} once did, and a broker refused to start with
     * its broker and controller listeners on one port).
     */
    public static int[] freePorts(int n) throws IOException {
        ServerSocket[] sockets = new ServerSocket[n];
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }

    /** The last 30 lines of a server's log, for the message of a start that failed. */
    public static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sleeps while polling for readiness; an interrupt ends the sleep and is kept for the caller. */
    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM, then SIGKILL if {@code process} has not ended within {@code grace}; an interrupt forces it at once. */
    public static void stop(Process process, Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /**
     * A file a build put beside {@code owner}'s classes ({@code target/classes} or the module's jar, both in
     * {@code target/}), or the path in system property {@code property} when it is set.
     */
    public static Path besideBuild(String property, Class<?> owner, String relative) {
        String configured = System.getProperty(property);
        if (configured != null) {
            return Path.of(configured);
        }
        try {
            return Path.of(owner.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent()
                    .resolve(relative);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
