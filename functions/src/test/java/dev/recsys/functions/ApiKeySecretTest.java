package dev.recsys.functions;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;


import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * API keys read from Secrets Manager at start, through the AWS SDK against a stand-in for the service on
 * loopback that speaks its JSON protocol (AWS itself cannot be reached from here).
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@WithTestResource(ApiKeySecretTest.SecretsManagerStandIn.class)
class ApiKeySecretTest {

    static final List<String> REQUESTS = new CopyOnWriteArrayList<>();
    /** The secret's value as the stand-in serves it now (a JSON array of keys). */
    static volatile String secret = "[\\\"from-the-secret-0123456789\\\"]";

    public static class SecretsManagerStandIn implements QuarkusTestResourceLifecycleManager {
        private HttpServer server;

        @Override
        public Map<String, String> start() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                REQUESTS.add(exchange.getRequestHeaders().getFirst("X-Amz-Target") + " " + body);
                byte[] answer = ("{\"ARN\":\"arn:aws:secretsmanager:us-east-1:123456789012:secret:recsys-keys-AbCdEf\","
                        + "\"Name\":\"recsys-keys\",\"VersionId\":\"v1\","
                        + "\"SecretString\":\"" + secret + "\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
                exchange.close();
            });
            server.start();
            // What Lambda's environment gives the SDK in AWS.
            System.setProperty("aws.region", "us-east-1");
            System.setProperty("aws.accessKeyId", "AKIATESTTESTTESTTEST");
            System.setProperty("aws.secretAccessKey", "test-secret");
            return Map.of("functions.auth.api-keys-secret", "recsys-keys", "functions.auth.refresh", "PT1S",
                    "functions.auth.secrets-endpoint", "http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public void stop() {
            if (server != null) {
                server.stop(0);
            }
        }
    }

    @Test
    @Order(1)
    void theKeyFromTheSecretIsAcceptedAndNothingElse() {
        given().contentType(ContentType.JSON).header("X-Api-Key", "from-the-secret-0123456789")
                .body("[{\"userId\":\"u1\",\"type\":\"view\"}]").post("/ingest")
                .then().statusCode(400).body("violations.field", hasItem("itemId"));
        given().contentType(ContentType.JSON).header("X-Api-Key", "something-else-0123456789")
                .body("[{\"userId\":\"u1\",\"type\":\"view\"}]").post("/ingest")
                .then().statusCode(401);
        assertTrue(REQUESTS.stream().anyMatch(r -> r.startsWith("secretsmanager.GetSecretValue")
                && r.contains("recsys-keys")), REQUESTS.toString());
    }

    /** Rotation without a redeploy: the secret's new key works and the revoked one stops within the refresh. */
    @Test
    @Order(2)
    void aKeyRevokedInTheSecretStopsWorkingWithinTheRefresh() {
        secret = "[\\\"rotated-key-0123456789\\\"]";
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> given()
                .contentType(ContentType.JSON).header("X-Api-Key", "from-the-secret-0123456789")
                .body("[{\"userId\":\"u1\",\"type\":\"view\"}]").post("/ingest").statusCode() == 401);
        given().contentType(ContentType.JSON).header("X-Api-Key", "rotated-key-0123456789")
                .body("[{\"userId\":\"u1\",\"type\":\"view\"}]").post("/ingest")
                .then().statusCode(400).body("violations.field", hasItem("itemId"));
    }
}