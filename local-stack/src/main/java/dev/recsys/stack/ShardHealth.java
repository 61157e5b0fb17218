package dev.recsys.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.common.utils.Utils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import dev.recsys.kafka.LocalKafka;

/** What the shard tests and benchmarks read of serving shards, and the single worker they are checked against. */
public final class ShardHealth {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ShardHealth() {
    }

    /** The data of a shard's {@code feedback-catch-up} readiness check: partitions, catchingUp, users. */
    public static JsonNode catchUp(String shard) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(shard + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        for (JsonNode c : JSON.readTree(r.body()).path("checks")) {
            if ("feedback-catch-up".equals(c.path("name").asText())) {
                return c.path("data");
            }
        }
        return MissingNode.getInstance();
    }

    /** The feedback partitions a shard owns. */
    public static Set<Integer> partitions(String shard) throws IOException, InterruptedException {
        return parse(catchUp(shard).path("partitions").asText(""));
    }

    /** Whether a shard owns partitions and none of them is still catching up after a take-over. */
    public static boolean settled(String shard) throws IOException, InterruptedException {
        JsonNode data = catchUp(shard);
        return !parse(data.path("partitions").asText("")).isEmpty()
                && parse(data.path("catchingUp").asText("")).isEmpty();
    }

    private static Set<Integer> parse(String listed) {
        Set<Integer> out = new TreeSet<>();
        for (String p : listed.replaceAll("[\\[\\] ]", "").split(",")) {
            if (!p.isEmpty()) {
                out.add(Integer.parseInt(p));
            }
        }
        return out;
    }

    /** Kafka's default partitioner on the userId key, as ingest and the score requests use it. */
    public static int partitionOf(String user, int partitions) {
        return Utils.toPositive(Utils.murmur2(user.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /**
     * One worker reading all feedback under its own group, from the same checkpoints as the shards (a replica):
     * what the shards' answers are checked against. Start it once the shards are stopped.
     */
    public static ManagedApp singleWorker(Path root, Map<String, String> config, String bootstrap, Path log)
            throws IOException {
        Map<String, String> single = new HashMap<>(config);
        single.remove("worker.model.path");
        single.put("worker.mode", "replica");
        single.put("worker.instance-id", "reference");
        single.put("mp.messaging.incoming.feedback.group.id", "reference");
        single.put("kafka.bootstrap.servers", bootstrap);
        return new ManagedApp("reference", LocalStack.jar(root, "gpu-worker"), LocalKafka.freePort(), single, log);
    }
}
