package dev.recsys.stack;

import static java.util.Comparator.comparingLong;

import java.io.BufferedReader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import dev.recsys.eval.Dataset;
import dev.recsys.stack.client.WorkerHealth;
import dev.recsys.stack.importer.FeedbackImport;
import dev.recsys.stack.importer.ItemsCsv;
import dev.recsys.stack.importer.ItemsImport;

/**
 * {@code bin/demo}: the product in one command. Starts the stack from empty, imports MovieLens movies and
 * ratings through the public API, waits while the worker trains its first Transformer from what it was sent,
 * then shows a few users' recommendations by title next to what they rated last, and a movie's similar items.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Starts the stack, imports a MovieLens folder, waits for the worker's own Transformer and "
                + "prints recommendations with titles.")
public final class Demo implements Callable<Integer> {

    @Option(names = "--data", required = true,
            description = "a MovieLens folder with ratings.csv and movies.csv (ml-latest-small)")
    Path data;

    @Option(names = "--users", split = ",", defaultValue = "1,2,3",
            description = "MovieLens user numbers to show (${DEFAULT-VALUE})")
    List<String> users;

    @Option(names = "--similar-to", defaultValue = "1", description = "a movie number for similar items (${DEFAULT-VALUE})")
    String similarTo;

    @Option(names = "--wait", defaultValue = "PT10M", description = "the longest wait for the model (${DEFAULT-VALUE})")
    Duration wait;

    @Option(names = "--keep", description = "keep the stack running afterwards, until Ctrl-C")
    boolean keep;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    public static void main(String[] args) {
        System.exit(new CommandLine(new Demo()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path ratings = data.resolve("ratings.csv");
        Path movies = data.resolve("movies.csv");
        if (!Files.isRegularFile(ratings) || !Files.isRegularFile(movies)) {
            throw new CommandLine.ParameterException(new CommandLine(this), data + " holds no ratings.csv and movies.csv");
        }
        Path root = Path.of(System.getProperty("stack.root", ".")).toAbsolutePath().normalize();
        Path run = root.resolve(".run/demo");
        Folders.deleteTree(run);
        System.out.println("starting broker, worker and functions (logs in " + run + ")");
        LocalStack stack = LocalStack.start(root, run, LocalStack.Ports.defaults(),
                Map.of("worker.checkpoint.store", run.resolve("checkpoints").toUri().toString()));
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "demo-shutdown"));
        URI functions = URI.create(stack.functionsUrl());

        // Read once; parsed for the catalogue (genres) and for the titles printed below.
        String moviesCsv = Files.readString(movies, StandardCharsets.UTF_8);
        List<ItemsCsv.Item> items = ItemsCsv.read(new BufferedReader(new StringReader(moviesCsv))).stream()
                .map(i -> new ItemsCsv.Item("m" + i.itemId(), i.categories(), i.hidden())).toList();
        Map<String, String> titles = new HashMap<>();
        List<List<String>> rows = ItemsCsv.records(new BufferedReader(new StringReader(moviesCsv)));
        for (List<String> row : rows.subList(1, rows.size())) {
            titles.put("m" + row.get(0), row.get(1));
        }
        System.out.printf("imported %d movies with their genres%n",
                new ItemsImport(functions, null).send(items, 500));
        int imported = new CommandLine(new FeedbackImport()).execute("--file", ratings.toString(), "--url",
                functions.toString());
        if (imported != 0) {
            System.err.println("the ratings import reported rejected lines; going on with what was accepted");
        }

        System.out.println("waiting while the worker trains its first Transformer from the imported ratings ...");
        long start = System.nanoTime();
        String version = "";
        String said = "";
        while (!version.startsWith("sasrec@")) {
            if (System.nanoTime() - start > wait.toNanos()) {
                System.err.println("no model after " + wait + "; see " + run.resolve("worker.log"));
                return 1;
            }
            Thread.sleep(2_000);
            String status = WorkerHealth.model(stack.workerUrl()).path("bootstrap").asText("");
            if (!status.equals(said)) {
                System.out.println("  " + status);
                said = status;
            }
            version = post(functions, "/recommend", "{\"userId\":\"u1\",\"k\":1}").path("modelVersion").asText("");
        }
        System.out.printf("the worker's own model serves after %.0f s: %s%n%n", (System.nanoTime() - start) / 1e9,
                version);

        List<Dataset.Interaction> all = Dataset.interactions(ratings);
        for (String user : users) {
            List<Dataset.Interaction> rated = all.stream().filter(i -> i.user().equals(user) && i.rating() >= 3.5)
                    .sorted(comparingLong(Dataset.Interaction::timestamp)).toList();
            System.out.println("user " + user + " rated last (3.5 stars or more):");
            rated.subList(Math.max(0, rated.size() - 5), rated.size())
                    .forEach(i -> System.out.println("    " + titles.getOrDefault("m" + i.item(), "m" + i.item())));
            JsonNode answer = post(functions, "/recommend", "{\"userId\":\"u" + user + "\",\"k\":10}");
            System.out.println("  recommended (" + answer.path("modelVersion").asText() + "):");
            answer.path("items").forEach(i -> System.out.println("    " + titles.getOrDefault(i.path("itemId").asText(),
                    i.path("itemId").asText())));
            System.out.println();
        }
        JsonNode similar = post(functions, "/similar-items", "{\"itemId\":\"m" + similarTo + "\",\"k\":10}");
        System.out.println("similar to " + titles.getOrDefault("m" + similarTo, "m" + similarTo) + " ("
                + similar.path("modelVersion").asText() + "):");
        similar.path("items").forEach(i -> System.out.println("    " + titles.getOrDefault(i.path("itemId").asText(),
                i.path("itemId").asText())));
        if (keep) {
            System.out.println("\nthe stack keeps running on " + stack.functionsUrl() + "; Ctrl-C stops it");
            Thread.currentThread().join();
        }
        return 0;
    }

    private JsonNode post(URI functions, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(functions.resolve(path))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return json.readTree(r.body());
    }
}
