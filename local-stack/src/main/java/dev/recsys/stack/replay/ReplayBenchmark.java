package dev.recsys.stack.replay;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import dev.recsys.core.sasrec.ModelFolder;
import dev.recsys.core.sasrec.PyTorchEngine;
import dev.recsys.core.sasrec.TrainingWindows;
import dev.recsys.eval.ReplayTraits;
import dev.recsys.eval.WarmStart;
import dev.recsys.eval.bench.Machine;

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

    @Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Replays a timestamped dataset through the real system, prequentially, variant by variant.")
    static final class Options {
        @Option(names = "--data", description = "MovieLens ratings.csv or user item timestamp lines "
                + "(default: ../shared/data/ml-latest-small/ratings.csv)")
        Path data;

        @Option(names = "--users", defaultValue = "0", description = "users sampled, 0: all (${DEFAULT-VALUE})")
        int users;

        @Option(names = "--warm-fraction", defaultValue = "0.5", description = "of the timeline, applied first (${DEFAULT-VALUE})")
        double warmFraction;

        @Option(names = "--max-events", defaultValue = "0", description = "replayed at most, 0: all (${DEFAULT-VALUE})")
        int maxEvents;

        @Option(names = "--rate", defaultValue = "0", description = "events/s at most, 0: as fast as answered (${DEFAULT-VALUE})")
        double rate;

        @Option(names = "--lanes", defaultValue = "16", description = "users replayed in parallel (${DEFAULT-VALUE})")
        int lanes;

        @Option(names = "--warm-epochs", defaultValue = "100", description = "of the warm start at most; it stops once its held-out NDCG@10 has not improved for "
                + WarmStart.PATIENCE + " (${DEFAULT-VALUE})")
        int warmEpochs;

        @Option(names = "--warm-windows", defaultValue = "all", description = "the warm start's training windows: all "
                + "(every transition once) or newest (each user's newest) (${DEFAULT-VALUE})")
        String warmWindowsName;

        /** --warm-windows, once checked. */
        TrainingWindows warmWindows;

        /**
         * The worker has its own machine in the design; on one box the client, functions and broker step
         * down so they do not take its cores (see HarnessPriority). 0: all at equal priority.
         */
        @Option(names = "--harness-nice", defaultValue = "10", description = "nice value of the load generator, functions "
                + "and broker, below the worker's 0; 0 shares the cores equally (${DEFAULT-VALUE})")
        int harnessNice;

        @Option(names = "--windows", defaultValue = "10", description = "time windows reported (${DEFAULT-VALUE})")
        int windows;

        @Option(names = "--probes", defaultValue = "100", description = "freshness probes (${DEFAULT-VALUE})")
        int probes;

        /** Ten minutes: what a worker's own model from empty may take to serve (bootstrap) on ml-1m-prefix. */
        @Option(names = "--settle-seconds", defaultValue = "600", description = "longest wait for a worker to settle (${DEFAULT-VALUE})")
        int settleSeconds;

        @Option(names = "--positive-rating", defaultValue = "3.5", description = "ratings at or above are positive (${DEFAULT-VALUE})")
        double positiveRating;

        /**
         * MovieLens spans two decades at a few events a day: measured on 200 users, HR@10 of popularity was
         * 0.016 with the worker's 7-day half-life, 0.038 with a year, 0.058 with ten years or a century.
         */
        @Option(names = "--popularity-half-life", defaultValue = "P3650D", description = "(${DEFAULT-VALUE})")
        java.time.Duration popularityHalfLife;

        /** Adam's step size for online training; the checkpoint's when null. */
        @Option(names = "--online-lr", description = "online training's learning rate (default: the model's)")
        Float onlineLearningRate;

        @Option(names = "--seed", defaultValue = "1", description = "(${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--variants", split = ",", defaultValue = "online,frozen,popularity,markov,cooccurrence",
                description = "(${DEFAULT-VALUE}); also online-sasrec, bootstrap")
        List<String> variants;

        @Option(names = "--out", description = "where runs and reports go (default: .run/replay)")
        Path out;
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("stack.root", ".")).toAbsolutePath().normalize();
        Options o = new Options();
        CommandLine line = new CommandLine(o);
        try {
            line.parseArgs(args);
            if (line.isUsageHelpRequested() || line.isVersionHelpRequested()) {
                line.usage(System.out);
                return;
            }
            check(line, o, root);
        } catch (CommandLine.ParameterException e) {
            System.err.println("bin/replay: " + e.getMessage());
            line.usage(System.err);
            System.exit(2);
            return;
        }
        ReplayData data = ReplayData.read(o.data, o.users, o.warmFraction, o.maxEvents, o.positiveRating, o.seed);
        System.out.println("machine: " + Machine.describe());
        System.out.printf(Locale.ROOT, "data: %s, %d users; warm part %,d events, replayed %,d events (%d lanes, %s)%n",
                o.data, data.users, data.warm.size(), data.test.size(), o.lanes,
                o.rate > 0 ? "at most " + o.rate + " events/s" : "as fast as the system answers");
        System.out.println(o.harnessNice > 0 ? "harness (load generator, functions, broker) at nice " + o.harnessNice
                + ", the worker at 0, as on its own machine" : "harness and worker at equal CPU priority");
        Files.createDirectories(o.out);
        Path djlCache = Path.of(System.getProperty("DJL_CACHE_DIR", root.resolve("target/djl-cache").toString()));
        Path model = null;
        WarmStart.Fitted warm = null;
        if (o.variants.stream().anyMatch(v -> v.startsWith("online") || v.equals("frozen"))) {
            PyTorchEngine.load(djlCache, Math.max(1, Runtime.getRuntime().availableProcessors()));
            warm = WarmStart.train(data.warm, data::positive, o.warmEpochs,
                    o.warmWindows, o.out.resolve("warm-model"));
            model = warm.dir();
        }
        ReplayTraits traits = traits(o.data, model);
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
                        worker.put("worker.training.learning-rate", String.valueOf(o.onlineLearningRate));
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
            worker.put("worker.popularity.half-life", o.popularityHalfLife.toString());
            Path runDir = o.out.resolve("run-" + variant);
            // A broker log left by an earlier replay would be read back into the worker, whose histories would
            // then already hold every test event (and "exclude seen" hide each one): every run starts empty.
            dev.recsys.stack.Folders.deleteTree(runDir);
            results.add(new ReplayVariant(variant, worker, data, o, traits).run(root, runDir));
        }
        ReplayReport.print(results, o);
        ReplayReport.writeJson(results, o, data, warm, o.out.resolve("replay.json"));
        ReplayReport.writeHtml(results, o, o.out.resolve("replay.html"));
        System.out.println("\nevery figure: " + o.out.resolve("replay.json") + "; plot: " + o.out.resolve("replay.html"));
    }

    /** Genres from movies.csv beside the data, vectors from the warm model when there is one: every variant's ruler. */
    private static ReplayTraits traits(Path data, Path model) throws java.io.IOException {
        if (model == null) {
            return ReplayTraits.of(data, null, null, 0);
        }
        ModelFolder.Loaded warm = ModelFolder.load(model);
        return ReplayTraits.of(data, warm.vocabulary(), warm.model().itemEmbeddings(), warm.model().config().dim());
    }

    /** Fills the defaults that depend on the project's folder and checks what picocli cannot. */
    private static void check(CommandLine line, Options o, Path root) {
        if (o.data == null) {
            o.data = root.resolve("../shared/data/ml-latest-small/ratings.csv").normalize();
        }
        if (o.out == null) {
            o.out = root.resolve(".run/replay");
        }
        if (!(o.warmFraction > 0 && o.warmFraction < 1) || o.lanes < 1 || o.windows < 1 || o.warmEpochs < 1) {
            throw new CommandLine.ParameterException(line,
                    "--warm-fraction must be in (0, 1), --lanes, --windows and --warm-epochs positive");
        }
        try {
            o.warmWindows = TrainingWindows.parse(o.warmWindowsName);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(line, "--warm-windows: " + e.getMessage());
        }
        if (o.harnessNice < 0 || o.harnessNice > 19) {
            throw new CommandLine.ParameterException(line, "--harness-nice must be 0 to 19, was " + o.harnessNice);
        }
        for (String variant : o.variants) {
            if (!VARIANTS.contains(variant)) {
                throw new CommandLine.ParameterException(line, "--variants: unknown variant " + variant
                        + "; known: " + String.join(", ", VARIANTS));
            }
        }
    }
}
