package dev.recsys.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.recsys.kafka.LocalKafka;

/**
 * A real broker whose client listener speaks TLS, with a certificate for 127.0.0.1 made by the JDK's keytool for
 * this run; the app is pointed at that listener and trusts the certificate given inline as PEM, as a deployment
 * with {@code kafka_auth = "tls"} and {@code kafka_ca_pem} (a private CA) is.
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
            keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                    "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
            keytool("-exportcert", "-alias", "broker", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                    "-rfc", "-file", cert.toString());
            int[] ports = LocalKafka.freePorts(3);
            int tlsPort = ports[0];
            kafka = LocalKafka.start(dir.resolve("kafka"), ports[1], ports[2],
                    new LocalKafka.TlsListener(tlsPort, keyStore, PASSWORD));
            // The certificate inline, as PEM on one line: what Terraform's kafka_ca_pem becomes in the Lambdas'
            // and workers' environment (KAFKA_SSL_TRUSTSTORE_*; an environment file holds no line breaks).
            return Map.of("kafka.bootstrap.servers", "127.0.0.1:" + tlsPort,
                    "kafka.ssl.truststore.type", "PEM",
                    "kafka.ssl.truststore.certificates", Files.readString(cert).strip().replace('\n', ' '),
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
