package dev.recsys.stack.importer;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code bin/import-items}: loads item metadata from a CSV (MovieLens {@code movies.csv}, genres as
 * categories, or the same shape) into the catalogue through the {@code items} function, in batches. A
 * batch the function refuses stops the import with its answer; batches already sent stay (each update
 * replaces its item, so running the import again is safe).
 */
@Command(name = "import-items", mixinStandardHelpOptions = true,
        description = "Imports item metadata from a CSV through the items function of a running stack.",
        footer = "%nThe CSV: a header, an id column (movieId, itemId, item or id; else the first), categories "
                + "separated by | (genres or categories; else the last), optionally hidden (true/false).")
public final class ItemsImport implements Callable<Integer> {

    @Option(names = "--file", required = true, description = "MovieLens movies.csv or the same shape")
    Path file;

    @CommandLine.Mixin
    FunctionsEndpoint functions = new FunctionsEndpoint();

    @Option(names = "--batch", defaultValue = "500", description = "items per call (${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--id-prefix", defaultValue = "", description = "before every id (bin/bench and bin/replay "
            + "send MovieLens movie 1 as item m1, so use --id-prefix m)")
    String idPrefix;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    public ItemsImport() {
    }

    public ItemsImport(URI functions, String apiKey) {
        this.functions = new FunctionsEndpoint(functions, apiKey);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ItemsImport()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<ItemsCsv.Item> items;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            items = ItemsCsv.read(in);
        }
        items = items.stream().map(i -> new ItemsCsv.Item(idPrefix + i.itemId(), i.categories(), i.hidden())).toList();
        long t0 = System.nanoTime();
        int sent = send(items, batch);
        System.out.printf("imported %d items from %s in %.1f s%n", sent, file, (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    /** Sends every item, a batch per request; returns how many the function accepted. */
    public int send(List<ItemsCsv.Item> items, int batch) throws IOException, InterruptedException {
        int accepted = 0;
        long now = System.currentTimeMillis();
        for (int from = 0; from < items.size(); from += batch) {
            List<Map<String, Object>> body = new ArrayList<>();
            for (ItemsCsv.Item item : items.subList(from, Math.min(items.size(), from + batch))) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("itemId", item.itemId());
                m.put("categories", item.categories());
                m.put("hidden", item.hidden());
                m.put("timestamp", now);
                body.add(m);
            }
            HttpResponse<String> r = http.send(functions.post("/items", json.writeValueAsBytes(body)),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 202) {
                throw new IOException("items " + from + ".." + (from + body.size() - 1) + " refused with "
                        + r.statusCode() + ": " + r.body() + " (" + accepted + " accepted before)");
            }
            accepted += json.readTree(r.body()).get("accepted").asInt();
        }
        return accepted;
    }
}
