package dev.recsys.stack.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.sasrec.ModelFolder;
import dev.recsys.core.sasrec.SasRecConfig;
import dev.recsys.core.sasrec.SasRecModel;
import dev.recsys.stack.LocalStack;
import dev.recsys.stack.bench.LoadGenerator.Call;
import dev.recsys.stack.client.MetricsScrape;
import dev.recsys.stack.importer.ItemsCsv;
import dev.recsys.stack.importer.ItemsImport;

/**
 * The API calls {@code bin/bench --phases api} measures, with request bodies drawn from the workload: the
 * catalogue is imported first (movies.csv genres, or synthetic categories), one item in a hundred hidden.
 */
public final class ApiCalls {

    public static final String RECOMMEND = "recommend";
    public static final String RECOMMEND_FILTERED = "recommend + filters (1 category, 20 excluded ids)";
    public static final String RECOMMEND_EXPLAINED = "recommend + explain";

    private final List<Call> calls;

    private ApiCalls(List<Call> calls) {
        this.calls = calls;
    }

    public List<Call> all() {
        return calls;
    }

    /**
     * Worker settings for an untrained SASRec model of the default shape over the workload's items: latency
     * depends on the shape, not on the weights' values. Training is off, so the calls compare on equal terms
     * (bin/replay measures serving while training).
     */
    public static Map<String, String> untrainedModel(Path root, Path dir, List<String> items) throws IOException {
        SasRecConfig config = SasRecConfig.defaults();
        ModelFolder.save(dir, config, SasRecModel.initialWeights(config, items.size() + 1), ItemVocabulary.of(items));
        return Map.of("worker.model.path", dir.toString(),
                "worker.model.cache-dir", root.resolve("target/djl-cache").toString(),
                "worker.training.enabled", "false");
    }

    public static ApiCalls prepare(LocalStack stack, Workload work, Path movies, Random random) throws Exception {
        List<ItemsCsv.Item> catalogue = new ArrayList<>();
        Set<String> known = new HashSet<>(work.items);
        if (movies != null) {
            try (BufferedReader in = Files.newBufferedReader(movies, StandardCharsets.UTF_8)) {
                for (ItemsCsv.Item i : ItemsCsv.read(in)) {
                    catalogue.add(new ItemsCsv.Item(Workload.MOVIE_PREFIX + i.itemId(), i.categories(), false));
                }
            }
        } else {
            for (String item : work.items) {
                catalogue.add(new ItemsCsv.Item(item, List.of("g" + Math.floorMod(item.hashCode(), 20)), false));
            }
        }
        List<ItemsCsv.Item> withHidden = new ArrayList<>();
        for (ItemsCsv.Item i : catalogue) {
            withHidden.add(random.nextInt(100) == 0 ? new ItemsCsv.Item(i.itemId(), i.categories(), true) : i);
        }
        long t0 = System.nanoTime();
        int sent = new ItemsImport(URI.create(stack.functionsUrl()), null).send(withHidden, 500);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (MetricsScrape.of(stack.workerUrl()).value("worker_catalogue_items") < sent) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the worker's catalogue did not reach " + sent + " items in 60 s");
            }
            Thread.sleep(100);
        }
        System.out.printf("catalogue: %d items imported and in the worker in %.1f s (%d hidden)%n", sent,
                (System.nanoTime() - t0) / 1e9, withHidden.stream().filter(ItemsCsv.Item::hidden).count());

        List<String> users = work.users;
        List<String> items = work.items;
        List<String> categories = new ArrayList<>(new TreeSet<>(catalogue.stream().filter(i -> known.contains(i.itemId()))
                .flatMap(i -> i.categories().stream()).toList()));
        List<Call> calls = List.of(
                new Call(RECOMMEND, "/recommend", r -> Benchmark.recommendBody(pick(users, r))),
                new Call(RECOMMEND_EXPLAINED, "/recommend",
                        r -> json("{\"userId\":\"%s\",\"k\":10,\"explain\":true}", pick(users, r))),
                new Call(RECOMMEND_FILTERED, "/recommend", r -> json("{\"userId\":\"%s\",\"k\":10,\"categories\":[\"%s\"],"
                        + "\"excludeItems\":%s}", pick(users, r), pick(categories, r), array(items, 20, r))),
                new Call("recommend-session (10 items)", "/recommend-session",
                        r -> json("{\"items\":%s,\"k\":10}", array(items, 10, r))),
                new Call("rerank (50 candidates)", "/rerank",
                        r -> json("{\"userId\":\"%s\",\"candidates\":%s}", pick(users, r), array(items, 50, r))),
                new Call("similar-items", "/similar-items", r -> json("{\"itemId\":\"%s\",\"k\":10}", pick(items, r))));
        return new ApiCalls(calls);
    }

    private static String pick(List<String> from, Random r) {
        return from.get(r.nextInt(from.size()));
    }

    /** {@code n} distinct ids as a JSON array. */
    private static String array(List<String> from, int n, Random r) {
        Set<String> chosen = new java.util.LinkedHashSet<>();
        while (chosen.size() < Math.min(n, from.size())) {
            chosen.add(pick(from, r));
        }
        return "[\"" + String.join("\",\"", chosen) + "\"]";
    }

    private static byte[] json(String format, Object... args) {
        return String.format(format, args).getBytes(StandardCharsets.UTF_8);
    }
}
