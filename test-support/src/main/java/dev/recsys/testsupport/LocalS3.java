package dev.recsys.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

import dev.recsys.kafka.LocalProcesses;

/**
 * A real S3-compatible server (S3Proxy, from its self-contained Maven jar) in a child process on
 * 127.0.0.1, keeping its objects in a folder. Used by the tests and by the local run's {@code s3} switch.
 */
public final class LocalS3 implements AutoCloseable {

    public static final String ACCESS_KEY = "local-access-key";
    public static final String SECRET_KEY = "local-secret-key";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final int port;

    private LocalS3(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts S3Proxy on {@code port} with its objects under {@code dir}/data, and waits until it answers. */
    public static LocalS3 start(Path dir, int port) throws IOException {
        Path jar = s3ProxyJar();
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (java.net.BindException e) {
            throw new IllegalStateException("port " + port + " on 127.0.0.1 is in use: choose another", e);
        }
        Files.createDirectories(dir.resolve("data"));
        Path properties = dir.resolve("s3proxy.properties");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem-nio2",
                "jclouds.filesystem.basedir=" + dir.resolve("data").toAbsolutePath(),
                ""));
        Path log = dir.resolve("s3proxy.log");
        Process process = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-jar", jar.toString(), "--properties", properties.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        LocalS3 s3 = new LocalS3(process, port);
        try {
            s3.awaitReady(log);
        } catch (RuntimeException e) {
            s3.close();
            throw e;
        }
        return s3;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public long pid() {
        return process.pid();
    }

    /** Creates the bucket if it is not there yet. */
    public void createBucket(String bucket) {
        try (S3Client s3 = client(Duration.ofSeconds(10))) {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (BucketAlreadyOwnedByYouException e) {
            // already there: fine
        }
    }

    /** A client of this server with its keys, path-style as S3-compatible servers need. */
    private S3Client client(Duration timeout) {
        return S3Client.builder().endpointOverride(endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout))
                .build();
    }

    private void awaitReady(Path log) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (S3Client s3 = client(Duration.ofSeconds(2))) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("S3Proxy exited with " + process.exitValue() + "; see " + log
                            + ":\n" + LocalProcesses.tail(log));
                }
                try {
                    s3.listBuckets();
                    return;
                } catch (RuntimeException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("S3Proxy not answering after " + READY_TIMEOUT + "; see "
                                + log + ":\n" + LocalProcesses.tail(log), e);
                    }
                    LocalProcesses.sleep(200);
                }
            }
        }
    }

    /** Stops the server gracefully, then forcibly after 10 s. */
    @Override
    public void close() {
        LocalProcesses.stop(process, Duration.ofSeconds(10));
    }

    /** {@code -Dlocal.s3proxy.jar}, else {@code s3proxy/s3proxy.jar} in this module's build folder. */
    static Path s3ProxyJar() {
        Path jar = LocalProcesses.besideBuild("local.s3proxy.jar", LocalS3.class, "s3proxy/s3proxy.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("S3Proxy jar not found at " + jar + ": build the test-support module first "
                    + "(mvn -pl test-support package) or pass -Dlocal.s3proxy.jar=PATH");
        }
        return jar;
    }

    /** A port nothing listens on right now, on 127.0.0.1. */
    public static int freePort() throws IOException {
        return LocalProcesses.freePort();
    }
}
