package dev.recsys.functions;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import dev.recsys.testsupport.KafkaTestResource;
import dev.recsys.wire.ScoreReply;
import dev.recsys.wire.ScoredItem;
import dev.recsys.wire.validation.Checked;
import dev.recsys.wire.validation.TopicRecords;
import dev.recsys.wire.validation.WireLimits;

/**
 * 10,000 generated bodies for each of the six functions, against a real broker and a stand-in worker that
 * checks every request it is sent by the worker's own rules: no body gets a 5xx, every 4xx names a field
 * (or {@code body}) and why, and nothing the functions accept is a request the worker would refuse.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class FunctionsFuzzTest {

    static final int BODIES = Integer.getInteger("fuzz.bodies", 10_000);
    static final ObjectMapper JSON = new ObjectMapper();
    static StandInWorker worker;
    static final List<Checked<?>> refusedByWorker = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void worker() {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        TopicRecords rules = new TopicRecords(WireLimits.DEFAULTS);
        worker = new StandInWorker(bootstrap, (request, bytes) -> {
            Checked<?> read = rules.scoreRequest(bytes);
            if (!read.ok()) {
                refusedByWorker.add(read);
            }
            return new ScoreReply(List.of(new ScoredItem("m1", 1.0)), "stand-in@0");
        });
    }

    @AfterAll
    static void stop() throws InterruptedException {
        worker.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "ingest            | [{\"userId\":\"u1\",\"itemId\":\"m1\",\"type\":\"rating\",\"value\":4.5,\"timestamp\":1000,\"eventId\":\"e1\"}]",
        "items             | [{\"itemId\":\"m1\",\"categories\":[\"Drama\"],\"hidden\":false,\"timestamp\":1000}]",
        "recommend         | {\"userId\":\"u1\",\"k\":5,\"excludeSeen\":true,\"categories\":[\"Drama\"],\"excludeItems\":[\"m2\"]}",
        "recommend-session | {\"items\":[\"m1\",\"m2\"],\"k\":5,\"excludeSeen\":false,\"categories\":[],\"excludeItems\":[]}",
        "rerank            | {\"userId\":\"u1\",\"candidates\":[\"m1\",\"m2\",\"m3\"]}",
        "similar-items     | {\"itemId\":\"m1\",\"k\":5,\"categories\":[\"Drama\"],\"excludeItems\":[]}" })
    void generatedBodiesNeverGet5xxAndEvery4xxNamesAField(String function, String valid) throws Exception {
        JsonNode template = JSON.readTree(valid);
        BodyFuzzer fuzzer = new BodyFuzzer(function.hashCode() * 31L + Long.getLong("fuzz.seed", System.nanoTime()));
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (int i = 0; i < BODIES; i++) {
            byte[] body = fuzzer.next(template);
            Response r = given().contentType("application/json; charset=UTF-8").body(body).post("/" + function);
            int status = r.statusCode();
            statuses.merge(status, 1, Integer::sum);
            String shown = new String(body, java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(status < 500, function + " answered " + status + " to " + shown + ": " + r.asString());
            if (status >= 400) {
                JsonNode error = JSON.readTree(r.asString());
                assertEquals(status, error.path("status").asInt(), shown);
                JsonNode violations = error.path("violations");
                assertFalse(violations.isEmpty(), function + ": a " + status + " names no field for " + shown + ": " + error);
                for (JsonNode v : violations) {
                    assertFalse(v.path("field").asText().isBlank(), shown + ": " + error);
                    assertFalse(v.path("reason").asText().isBlank(), shown + ": " + error);
                }
            }
        }
        System.out.printf("fuzz %s: %d bodies, statuses %s%n", function, BODIES, statuses);
        assertTrue(statuses.keySet().stream().anyMatch(s -> s < 300), function + ": some generated bodies stay valid");
        assertTrue(refusedByWorker.isEmpty(), "the functions sent requests the worker refuses: " + refusedByWorker);
    }
}
