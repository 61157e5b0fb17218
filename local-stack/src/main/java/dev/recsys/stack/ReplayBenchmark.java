package dev.recsys.stack;

import dev.recsys.eval.bench.Machine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.recsys.eval.WarmStart;
import dev.recsys.core.sasrec.PyTorchEngine;

/**
 * {@code bin/replay}: replays a timestamped dataset through the real system (HTTP functions, Kafka, worker),
 * prequentially, for several variants on the same data: the worker with a model as it runs by default (the
 * online-learning Transformer mixed with the co-occurrence table), the same frozen, a worker with no warm model
 * that trains its own ({@code bootstrap}), and the online baselines served alone (popularity, Markov chain,
 * co-occurrence). Prints a table with the online variant's ratio to the
 * best baseline and writes a JSON file and an HTML plot of HR@10 over time.
 */
public final class ReplayBenchmark {

    /** The online baselines, each updated per event in the worker and served alone. */
    static final List<String> BASELINES = List.of("popularity", "markov", "cooccurrence");
    static final List<String> VARIANTS = List.of("online", "frozen", "online-sasrec", "bootstrap", "popularity",
            "markov", "cooccurrence");

    static final class Options {
        Path data;
        int users;
        double warmFraction = 0.5;
        int maxEvents;
        double rate;
        int lanes = 16;
        int warmEpochs = 30;
        int windows = 10;
        int probes = 100;
        int settleSeconds = 300;
        double positiveRating = 3.5;
        /**
         * MovieLens spans two decades at a few events a day: measured on 200 users, HR@10 of popularity was
         * 0.016 with the worker's 7-day half-life, 0.038 with a year, 0.058 with ten years or a century.
         */
        String popularityHalfLife = "P3650D";
        /** Adam's step size for online training; the checkpoint's when null. */
        String onlineLearningRate;
        long seed = 1;
        List<String> variants = List.of("online", "frozen", "popularity", "markov", "cooccurrence");
        Path out;
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("stack.root", ".")).toAbsolutePath().normalize();
        Options o;
        try {
            o = parse(args, root);
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
            System.err.println("bin/replay: " + e.getMessage());
            System.exit(2);
            return;
        }
        ReplayData data = ReplayData.read(o.data, o.users, o.warmFraction, o.maxEvents, o.positiveRating, o.seed);
        System.out.println("machine: " + Machine.describe());
        System.out.printf(Locale.ROOT, "data: %s, %d users; warm part %,d events, replayed %,d events (%d lanes, %s)%n",
                o.data, data.users, data.warm.size(), data.test.size(), o.lanes,
                o.rate > 0 ? "at most " + o.rate + " events/s" : "as fast as the system answers");
        Files.createDirectories(o.out);
        Path djlCache = Path.of(System.getProperty("DJL_CACHE_DIR", root.resolve("target/djl-cache").toString()));
        Path model = null;
        if (o.variants.stream().anyMatch(v -> v.startsWith("online") || v.equals("frozen"))) {
            PyTorchEngine.load(djlCache, Math.max(1, Runtime.getRuntime().availableProcessors()));
            model = WarmStart.train(data.warm, data::positive, o.warmEpochs, o.out.resolve("warm-model"));
        }
        List<ReplayVariant.Result> results = new ArrayList<>();
        for (String variant : o.variants) {
            Map<String, String> worker = new LinkedHashMap<>();
            switch (variant) {
                case "online", "online-sasrec" -> {
                    // online: what a worker with a model does by default (worker.scorer=auto); online-sasrec:
                    // the same trained Transformer ranking alone, to show what the blend adds.
                    worker.put("worker.scorer", variant.equals("online") ? "auto" : "sasrec");
                    worker.put("worker.model.path", model.toString());
                    worker.put("worker.training.enabled", "true");
                    if (o.onlineLearningRate != null) {
                        worker.put("worker.training.learning-rate", o.onlineLearningRate);
                    }
                }
                case "bootstrap" -> {
                    // No warm model: the worker serves the co-occurrence table, trains its own Transformer
                    // from what it holds once there is enough (here: after the warm part), then goes online.
                    worker.put("worker.scorer", "auto");
                    worker.put("worker.training.enabled", "true");
                }
                case "frozen" -> {
                    worker.put("worker.model.path", model.toString());
                    worker.put("worker.training.enabled", "false");
                }
                default -> worker.put("worker.scorer", variant); // a baseline alone; parse has checked the name
            }
            worker.put("worker.positive-rating", String.valueOf(o.positiveRating));
            worker.put("worker.model.cache-dir", djlCache.toString());
            worker.put("worker.popularity.half-life", o.popularityHalfLife);
            Path runDir = o.out.resolve("run-" + variant);
            // A broker log left by an earlier replay would be read back into the worker, whose histories would
            // then already hold every test event (and "exclude seen" hide each one): every run starts empty.
            deleteTree(runDir);
            results.add(new ReplayVariant(variant, worker, data, o).run(root, runDir));
        }
        ReplayReport.print(results, o);
        ReplayReport.writeJson(results, o, data, o.out.resolve("replay.json"));
        ReplayReport.writeHtml(results, o, o.out.resolve("replay.html"));
        System.out.println("\nevery figure: " + o.out.resolve("replay.json") + "; plot: " + o.out.resolve("replay.html"));
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static Options parse(String[] args, Path root) {
        Options o = new Options();
        o.data = root.resolve("../shared/data/ml-latest-small/ratings.csv").normalize();
        o.out = root.resolve(".run/replay");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help")) {
                System.out.println("""
                        bin/replay [--data ratings.csv] [--users N] [--warm-fraction 0.5] [--max-events N]
                                   [--rate EVENTS_PER_S] [--lanes 16] [--warm-epochs 30] [--windows 10] [--probes 100] [--settle-seconds 300]
                                   [--variants online,frozen,popularity,markov,cooccurrence] (also: online-sasrec, bootstrap)
                                   [--positive-rating 3.5] [--popularity-half-life P3650D]
                                   [--online-lr RATE]
                                   [--seed 1] [--out DIR]""");
                System.exit(0);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value (see --help)");
            }
            String v = args[++i];
            try {
                set(o, a, v);
            } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException(a + ": cannot read \"" + v + "\" (" + e.getMessage() + ")");
            }
        }
        if (!(o.warmFraction > 0 && o.warmFraction < 1) || o.lanes < 1 || o.windows < 1) {
            throw new IllegalArgumentException("--warm-fraction must be in (0, 1), --lanes and --windows positive");
        }
        for (String variant : o.variants) {
            if (!VARIANTS.contains(variant)) {
                throw new IllegalArgumentException("--variants: unknown variant " + variant
                        + "; known: " + String.join(", ", VARIANTS));
            }
        }
        return o;
    }

    private static void set(Options o, String a, String v) {
        switch (a) {
            case "--data" -> o.data = Path.of(v);
            case "--users" -> o.users = Integer.parseInt(v);
            case "--warm-fraction" -> o.warmFraction = Double.parseDouble(v);
            case "--max-events" -> o.maxEvents = Integer.parseInt(v);
            case "--rate" -> o.rate = Double.parseDouble(v);
            case "--lanes" -> o.lanes = Integer.parseInt(v);
            case "--warm-epochs" -> o.warmEpochs = Integer.parseInt(v);
            case "--windows" -> o.windows = Integer.parseInt(v);
            case "--probes" -> o.probes = Integer.parseInt(v);
            case "--settle-seconds" -> o.settleSeconds = Integer.parseInt(v);
            case "--positive-rating" -> o.positiveRating = Double.parseDouble(v);
            case "--online-lr" -> o.onlineLearningRate = String.valueOf(Float.parseFloat(v));
            case "--popularity-half-life" -> o.popularityHalfLife = java.time.Duration.parse(v).toString();
            case "--seed" -> o.seed = Long.parseLong(v);
            case "--variants" -> o.variants = List.of(v.split(","));
            case "--out" -> o.out = Path.of(v);
            default -> throw new IllegalArgumentException("unknown option " + a + " (see --help)");
        }
    }
}
