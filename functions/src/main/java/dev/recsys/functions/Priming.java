package dev.recsys.functions;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;

import dev.recsys.functions.access.ServedCalls;
import dev.recsys.functions.config.FunctionsConfig;
import dev.recsys.functions.kafka.ScoreReplyDeserializer;
import dev.recsys.wire.ScoreReply;
import dev.recsys.wire.ScoredItem;
import dev.recsys.wire.validation.ForgetUserValidator;
import dev.recsys.wire.validation.Violations;

/**
 * Runs each served call's request path once at start, without a broker: the JSON reading, the validation, the
 * record and reply (de)serialisation. On Lambda the start happens before the SnapStart snapshot, so the first
 * request of every restored instance finds those classes loaded and initialised; elsewhere it moves that work
 * from the first request to the start. Nothing is published and no transactional producer is made here (each
 * restored instance must get its own transactional id).
 */
@ApplicationScoped
public class Priming {

    private static final Logger LOG = Logger.getLogger(Priming.class);
    private static final String USER = "priming-user";

    @Inject
    ObjectMapper json;

    @Inject
    FunctionsConfig config;

    @Inject
    ServedCalls calls;

    void prime(@Observes StartupEvent event) {
        if (!config.prime()) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            if (calls.serves("ingest")) {
                var events = new FeedbackBatchParser(1, config.ingest().limits()).parse(json.readTree(
                        "[{\"userId\":\"" + USER + "\",\"itemId\":\"i\",\"type\":\"rating\",\"value\":4}]"), now());
                json.writeValueAsBytes(events.get(0));
                json.writeValueAsString(new WriteFunctions.IngestResult(1, List.of(events.get(0).eventId())));
            }
            if (calls.serves("items")) {
                var items = new ItemBatchParser(1, config.ingest().limits())
                        .parse(json.readTree("[{\"itemId\":\"i\",\"categories\":[\"c\"]}]"), now());
                json.writeValueAsBytes(items.get(0));
            }
            if (calls.serves("forget-user")) {
                json.writeValueAsBytes(new ForgetUserValidator(config.ingest().limits())
                        .read(json.readTree("{\"userId\":\"" + USER + "\"}"), now(), new Violations()));
            }
            if (calls.scoring()) {
                primeScoring();
            }
            LOG.infof("primed the request path of %s in %d ms", calls, (System.nanoTime() - t0) / 1_000_000);
        } catch (JsonProcessingException | RuntimeException e) {
            // Priming is an optimisation: the calls work without it.
            LOG.warnf("priming failed, the first request will do that work: %s", e.toString());
        }
    }

    private void primeScoring() throws JsonProcessingException {
        ScoreRequestReader reader = new ScoreRequestReader(config.ingest().maxIdLength());
        JsonNode user = json.readTree("{\"userId\":\"" + USER + "\",\"k\":5,\"explain\":true}");
        for (var request : List.of(reader.user(user),
                reader.session(json.readTree("{\"items\":[\"i\"]}")),
                reader.rerank(json.readTree("{\"userId\":\"" + USER + "\",\"candidates\":[\"i\"]}")),
                reader.similar(json.readTree("{\"itemId\":\"i\"}")))) {
            json.writeValueAsBytes(request);
        }
        byte[] reply = json.writeValueAsBytes(new ScoreReply(List.of(new ScoredItem("i", 1.0)), "priming@0"));
        try (var replies = new ScoreReplyDeserializer()) {
            json.writeValueAsString(replies.deserialize("score-replies", reply));
        }
        json.writeValueAsString(Map.of("status", 404, "error", "priming"));
    }

    private static long now() {
        return System.currentTimeMillis();
    }
}
