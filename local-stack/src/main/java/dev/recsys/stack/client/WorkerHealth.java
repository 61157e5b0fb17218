package dev.recsys.stack.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/** The worker's {@code model} readiness check as the local tools read it: what serves, how the bootstrap goes. */
public final class WorkerHealth {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private WorkerHealth() {
    }

    /** The model check's data ({@code serving}, {@code bootstrap}, ...); missing when the worker does not answer. */
    public static JsonNode model(String workerUrl) throws InterruptedException {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create(workerUrl + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            for (JsonNode check : JSON.readTree(body).path("checks")) {
                if ("model".equals(check.path("name").asText())) {
                    return check.path("data");
                }
            }
        } catch (IOException e) {
            // Not up yet, or restarting: nothing to read.
        }
        return MissingNode.getInstance();
    }

    /** Whether the worker serves a Transformer (its own or a loaded one). */
    public static boolean servesModel(JsonNode model) {
        return model.path("serving").asText("").startsWith("sasrec@");
    }

    /** Polls until {@code condition} holds for the model check; false when {@code bound} ran out first. */
    public static boolean await(String workerUrl, Predicate<JsonNode> condition, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.test(model(workerUrl))) {
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }
}
