package dev.recsys.functions;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

import dev.recsys.testsupport.TlsKafkaTestResource;

/**
 * The {@code tls} profile (Terraform's {@code kafka_auth = "tls"}) against a broker whose client listener speaks
 * only TLS: ingest publishes through it, and a plaintext client gets nothing from that listener.
 */
@QuarkusTest
@TestProfile(FunctionsOverTlsTest.TlsProfile.class)
@WithTestResource(TlsKafkaTestResource.class)
class FunctionsOverTlsTest {

    public static class TlsProfile implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "tls";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            // What the test profile would have set: no keys, short broker bounds.
            return Map.of("functions.auth.open", "true", "functions.ingest.broker-timeout", "PT2S");
        }
    }

    @Test
    void ingestIsPublishedOverTls() {
        String user = "tls-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body("[{\"userId\":\"" + user + "\",\"itemId\":\"m1\",\"type\":\"view\"}]")
                .post("/ingest").then().statusCode(202).body("accepted", equalTo(1));
        String plaintext = ConfigProvider.getConfig().getValue("tls-test.plaintext-bootstrap", String.class);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, plaintext,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor("feedback").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long mine = 0;
            for (int polls = 0; polls < 20 && mine == 0; polls++) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(250))) {
                    mine += user.equals(r.key()) ? 1 : 0;
                }
            }
            assertEquals(1, mine, "the event is on the feedback topic");
        }
    }

    @Test
    void theListenerTheFunctionsUseSpeaksOnlyTls() {
        String tls = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, tls,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1500, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                3000))) {
            assertThrows(ExecutionException.class,
                    () -> admin.listTopics().names().get(10, TimeUnit.SECONDS), "a plaintext client was answered");
        }
    }
}
