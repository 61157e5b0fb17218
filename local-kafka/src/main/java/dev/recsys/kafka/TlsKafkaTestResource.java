package dev.recsys.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real broker whose client listener speaks TLS, with a certificate for 127.0.0.1 made by the JDK's keytool for
 * this run; the app is pointed at that listener and given a trust store holding the certificate, as a
 * deployment with {@code kafka_auth = "tls"} and a private CA would be.
 */
public class TlsKafkaTestResource implements QuarkusTestResourceLifecycleManager {

    static final String PASSWORD = "local-test-only";

    private LocalKafka kafka;

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("kafka-tls-test-");
            Path keyStore = dir.resolve("broker.p12");
            Path cert = dir.resolve("broker.crt");
            Path trustStore = dir.resolve("clients.p12");
            keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                    "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
            keytool("-exportcert", "-alias", "broker", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                    "-rfc", "-file", cert.toString());
            keytool("-importcert", "-noprompt", "-alias", "broker", "-file", cert.toString(), "-storetype", "PKCS12",
                    "-keystore", trustStore.toString(), "-storepass", PASSWORD);
            int tlsPort = LocalKafka.freePort();
            kafka = LocalKafka.start(dir.resolve("kafka"), LocalKafka.freePort(), LocalKafka.freePort(),
                    new LocalKafka.TlsListener(tlsPort, keyStore, PASSWORD));
            return Map.of("kafka.bootstrap.servers", "127.0.0.1:" + tlsPort,
                    "kafka.ssl.truststore.type", "PKCS12",
                    "kafka.ssl.truststore.location", trustStore.toString(),
                    "kafka.ssl.truststore.password", PASSWORD,
                    "tls-test.plaintext-bootstrap", kafka.bootstrapServers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void keytool(String... args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool " + args[0] + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }
}
