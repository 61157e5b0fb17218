package dev.recsys.stack.importer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import dev.recsys.eval.Dataset;

/**
 * {@code bin/import-feedback}: sends a file of interactions (MovieLens {@code ratings.csv}, or plain
 * {@code user item [timestamp]} lines as {@code bin/evaluate} reads them) through the {@code ingest} function
 * in time order, as an application would, with a progress line and a summary. Each event's id is derived
 * from user, item and time, so a batch retried after a 503 or a timeout, or the import run again, is applied
 * once while the worker remembers the ids. A batch the function refuses is sent again without the events it
 * named; those are counted as rejected with their reasons.
 */
@Command(name = "import-feedback", mixinStandardHelpOptions = true,
        description = "Imports interactions from a file through the ingest function of a running stack.")
public final class FeedbackImport implements Callable<Integer> {

    @Option(names = "--file", required = true, description = "MovieLens ratings.csv, or 'user item [timestamp]' lines")
    Path file;

    @CommandLine.Mixin
    FunctionsEndpoint functions = new FunctionsEndpoint();

    @Option(names = "--batch", defaultValue = "500", description = "events per ingest call, at most 1000 (${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--user-prefix", defaultValue = "u", description = "before every user id (${DEFAULT-VALUE}; "
            + "bin/bench and bin/replay name MovieLens user 1 'u1')")
    String userPrefix;

    @Option(names = "--item-prefix", defaultValue = "m", description = "before every item id (${DEFAULT-VALUE}; "
            + "'m1' is movie 1, as bin/import-items --id-prefix m names it)")
    String itemPrefix;

    @Option(names = "--type", defaultValue = "view", description = "the feedback type of lines without a rating (${DEFAULT-VALUE})")
    String type;

    @Option(names = "--retries", defaultValue = "5", description = "tries of a batch on 503, 504 or no answer (${DEFAULT-VALUE})")
    int retries;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) {
        System.exit(new CommandLine(new FeedbackImport()).execute(args));
    }

    /** What an import did. */
    public record Summary(long accepted, long rejected, Map<String, Long> reasons, long retried) {
    }

    @Override
    public Integer call() throws Exception {
        if (batch < 1 || batch > 1000) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--batch must be from 1 to 1000");
        }
        List<Dataset.Interaction> interactions = Dataset.interactions(file);
        long t0 = System.nanoTime();
        Summary s = send(interactions, System.err);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s: %,d events accepted, %,d rejected, in %.1f s (%,.0f events/s)%s%n", file, s.accepted(),
                s.rejected(), seconds, s.accepted() / seconds, s.retried() > 0 ? ", " + s.retried() + " batches retried" : "");
        s.reasons().forEach((reason, n) -> System.out.printf("  rejected %,d: %s%n", n, reason));
        return s.rejected() == 0 ? 0 : 1;
    }

    public Summary send(List<Dataset.Interaction> interactions, PrintStream progress) throws IOException, InterruptedException {
        long accepted = 0;
        long rejected = 0;
        long retried = 0;
        Map<String, Long> reasons = new LinkedHashMap<>();
        long shownAt = 0;
        long t0 = System.nanoTime();
        for (int from = 0; from < interactions.size(); from += batch) {
            List<Map<String, Object>> events = new ArrayList<>();
            for (Dataset.Interaction i : interactions.subList(from, Math.min(interactions.size(), from + batch))) {
                events.add(event(i));
            }
            while (!events.isEmpty()) {
                HttpResponse<String> r = post(events);
                for (int attempt = 1; retryable(r) && attempt < retries; attempt++) {
                    retried++;
                    Thread.sleep(200L << Math.min(attempt, 5));
                    r = post(events);
                }
                if (r != null && r.statusCode() == 202) {
                    accepted += events.size();
                    break;
                }
                if (r == null || r.statusCode() != 400) {
                    throw new IOException("events " + from + ".." + (from + events.size() - 1) + " not accepted after "
                            + retries + " tries: " + (r == null ? "no answer" : r.statusCode() + " " + r.body())
                            + " (" + accepted + " accepted before)");
                }
                // All or nothing per call: drop the events it named, count them, send the rest again.
                Set<Integer> bad = new HashSet<>();
                for (JsonNode v : json.readTree(r.body()).path("violations")) {
                    if (v.hasNonNull("index")) {
                        bad.add(v.get("index").asInt());
                        reasons.merge(v.path("field").asText() + ": " + v.path("reason").asText(), 1L, Long::sum);
                    }
                }
                if (bad.isEmpty()) {
                    throw new IOException("the ingest function refused a batch without naming an event: " + r.body());
                }
                List<Map<String, Object>> kept = new ArrayList<>();
                for (int i = 0; i < events.size(); i++) {
                    if (!bad.contains(i)) {
                        kept.add(events.get(i));
                    }
                }
                rejected += events.size() - kept.size();
                events = kept;
            }
            long now = System.nanoTime();
            if (progress != null && (now - shownAt > 500_000_000L || from + batch >= interactions.size())) {
                shownAt = now;
                showProgress(progress, from + batch, interactions.size(), accepted, (now - t0) / 1e9);
            }
        }
        if (progress != null) {
            progress.println();
        }
        return new Summary(accepted, rejected, reasons, retried);
    }

    private Map<String, Object> event(Dataset.Interaction i) {
        Map<String, Object> e = new LinkedHashMap<>();
        String user = userPrefix + i.user();
        String item = itemPrefix + i.item();
        e.put("userId", user);
        e.put("itemId", item);
        if (Double.isNaN(i.rating())) {
            e.put("type", type);
        } else {
            e.put("type", "rating");
            e.put("value", i.rating());
        }
        if (i.timestamp() > 0) {
            // MovieLens counts seconds; anything that small is not milliseconds of this century.
            e.put("timestamp", i.millis());
        }
        // The same interaction is the same event: a retry or a second import is recognised as one.
        String id = "import:" + user + ":" + item + ":" + i.timestamp();
        e.put("eventId", id.length() <= 200 ? id
                : "import:" + java.util.UUID.nameUUIDFromBytes(id.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return e;
    }

    private HttpResponse<String> post(List<Map<String, Object>> events) throws IOException, InterruptedException {
        try {
            return http.send(functions.post("/ingest", json.writeValueAsBytes(events)), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.http.HttpTimeoutException | java.net.ConnectException e) {
            return null;
        }
    }

    private static boolean retryable(HttpResponse<String> r) {
        return r == null || r.statusCode() == 503 || r.statusCode() == 504;
    }

    private static void showProgress(PrintStream out, int done, int total, long accepted, double seconds) {
        int shown = Math.min(done, total);
        int width = 30;
        int filled = (int) ((long) width * shown / Math.max(1, total));
        out.printf("\r[%s%s] %3d%% %,d/%,d events, %,.0f/s", "#".repeat(filled), " ".repeat(width - filled),
                100L * shown / Math.max(1, total), shown, total, accepted / Math.max(seconds, 1e-3));
        out.flush();
    }
}
