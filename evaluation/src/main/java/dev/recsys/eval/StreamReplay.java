package dev.recsys.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.LongAdder;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import dev.recsys.core.FeedbackListener;
import dev.recsys.core.FeedbackWeights;
import dev.recsys.core.ItemCatalogue;
import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.PopularityScorer;
import dev.recsys.core.UserHistories;
import dev.recsys.core.neighbours.ItemTables;
import dev.recsys.core.neighbours.NeighbourScorer;
import dev.recsys.core.quality.ListQuality;
import dev.recsys.core.quality.ListSums;
import dev.recsys.core.quality.StreamQuality;
import dev.recsys.core.recommender.Recommender;
import dev.recsys.core.sasrec.ModelFolder;
import dev.recsys.core.sasrec.ModelSnapshot;
import dev.recsys.core.sasrec.OnlineTrainer;
import dev.recsys.core.sasrec.OnlineTrainingConfig;
import dev.recsys.core.sasrec.PyTorchEngine;
import dev.recsys.core.sasrec.SasRecConfig;
import dev.recsys.core.sasrec.SasRecModel;
import dev.recsys.core.sasrec.ServingModel;
import dev.recsys.core.sasrec.TrainingListener;
import dev.recsys.core.sasrec.TrainingWindows;
import dev.recsys.eval.Dataset.Interaction;
import dev.recsys.wire.FeedbackEvent;
import dev.recsys.wire.FeedbackType;
import dev.recsys.wire.ScoreReply;
import dev.recsys.wire.ScoreRequest;

/**
 * {@code bin/stream-replay}: the replay's prequential protocol (first part of the timeline
 * applied, then for each later positive event: ask for the user's top 10 with seen items excluded, score,
 * then apply), run on the worker's own classes in one process, every variant on the same state in one pass.
 * Minutes instead of the real system's half hour, so methods can be compared; the real-system replay
 * ({@code bin/replay}) is the one that reports.
 */
@Command(name = "stream-replay", mixinStandardHelpOptions = true,
        description = "bin/replay's protocol on the worker's classes in one process, every variant in one pass.",
        footer = "variants: popularity, markov, cooccurrence, cooccurrence/N (N newest items vote), cooccurrence-warm "
                + "(the table as the warm part left it), "
                + "frozen, online, refit; a Transformer variant may add "
                + "+W (blended with co-occurrence at share W), ~W (share learnt per band of history length, starting "
                + "at W: the worker's default) or @W (one share learnt for every history)")
public final class StreamReplay implements Callable<Integer> {

    static final int K = 10;

    @Option(names = "--data", defaultValue = "../shared/data/ml-latest-small/ratings.csv",
            description = "ratings: MovieLens CSV or user item [timestamp] lines (${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--model", defaultValue = ".run/stream-replay/warm-model",
            description = "the warm-started model's folder, trained there first when absent (${DEFAULT-VALUE})")
    Path model;

    @Option(names = "--warm-epochs", defaultValue = "100", description = "epochs of the warm start at most; it stops once its held-out NDCG@10 has not "
            + "improved for " + WarmStart.PATIENCE + " (${DEFAULT-VALUE})")
    int warmEpochs;

    @Option(names = "--warm-windows", defaultValue = "all",
            description = "the warm start's training windows: all (every transition once) or newest (each user's newest) (${DEFAULT-VALUE})")
    String warmWindows;

    @Option(names = "--warm-blocks", description = "Transformer blocks of the warm start (the worker's: "
            + "HistoryTraining.config())")
    Integer warmBlocks;

    @Option(names = "--warm-dropout", description = "dropout of the warm start's training (the worker's)")
    Float warmDropout;

    @Option(names = "--rate", defaultValue = "0",
            description = "events per second, 0 as fast as it goes; online training runs beside (${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--refit-every", defaultValue = "5000", description = "events between re-fits (${DEFAULT-VALUE})")
    int refitEvery;

    @Option(names = "--refit-epochs", defaultValue = "3", description = "epochs of each re-fit (${DEFAULT-VALUE})")
    int refitEpochs;

    @Option(names = "--variants", split = ",",
            defaultValue = "popularity,markov,cooccurrence,frozen,frozen+0.5,online,online+0.5",
            description = "what to score, comma-separated (${DEFAULT-VALUE})")
    List<String> variants;

    @Option(names = "--item-table-bytes", defaultValue = "" + ItemTables.DEFAULT_BYTES,
            description = "the live item tables' budget, as worker.limits.max-item-table-bytes (${DEFAULT-VALUE})")
    long itemTableBytes;

    @Option(names = "--windows", defaultValue = "10", description = "time windows the five measures are given for (${DEFAULT-VALUE})")
    int windows;

    @Option(names = "--oracle", split = ",", description = "two variants: also print the per-event best of the two")
    List<String> oracle;

    @Option(names = "--fuse", description = "with --oracle: also score fusions of their top-50 lists by rank")
    boolean fuse;

    public static void main(String[] args) {
        System.exit(new CommandLine(new StreamReplay()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (warmEpochs < 1) {
            System.err.println("--warm-epochs must be at least 1, was " + warmEpochs);
            return 2;
        }
        TrainingWindows trainingWindows;
        try {
            trainingWindows = TrainingWindows.parse(warmWindows);
        } catch (IllegalArgumentException e) {
            System.err.println("--warm-windows: " + e.getMessage());
            return 2;
        }
        double positiveRating = 3.5;

        List<Interaction> all = Dataset.interactions(data);
        int cut = (int) Math.round(all.size() * 0.5);
        List<Interaction> warm = all.subList(0, cut);
        List<Interaction> test = all.subList(cut, all.size());
        PyTorchEngine.load(Path.of(System.getProperty("DJL_CACHE_DIR", "target/djl-cache")), 1);
        if (!Files.exists(model.resolve("config.json"))) {
            SasRecConfig shape = WarmStart.config();
            shape = warmBlocks == null ? shape : shape.withBlocks(warmBlocks);
            shape = warmDropout == null ? shape : shape.withDropout(warmDropout);
            WarmStart.train(warm, i -> Double.isNaN(i.rating()) || i.rating() >= positiveRating, warmEpochs, shape,
                    trainingWindows, model);
        }

        UserHistories histories = new UserHistories(200, 2000);
        PopularityScorer popularity = new PopularityScorer(3650 * 86_400_000.0, 0);
        FeedbackWeights weights = FeedbackWeights.defaults();
        ItemTables tables = ItemTables.withBudget(itemTableBytes);
        ItemCatalogue catalogue = new ItemCatalogue();

        ModelFolder.Loaded loaded = ModelFolder.load(model);
        SasRecConfig kept = loaded.model().config();
        if ((warmBlocks != null && warmBlocks != kept.blocks())
                || (warmDropout != null && warmDropout != kept.dropout())) {
            // A kept warm model is not trained again: a shape asked for and not there would go unnoticed.
            System.err.printf(Locale.ROOT, "--model %s holds %d blocks with dropout %s, not the shape asked for; "
                    + "name another folder to train it%n", model, kept.blocks(), kept.dropout());
            loaded.model().close();
            return 2;
        }
        ItemVocabulary vocabulary = loaded.vocabulary();
        ServingModel frozen = new ServingModel(new ModelSnapshot(loaded.model(), "sasrec@warm", 0));
        ServingModel online = new ServingModel(new ModelSnapshot(SasRecModel.of(loaded.model().config(),
                loaded.model().weights()), "sasrec@warm", 0));
        ServingModel refitted = new ServingModel(new ModelSnapshot(SasRecModel.of(loaded.model().config(),
                loaded.model().weights()), "sasrec@warm", 0));
        SasRecModel.Weights[] refitWeights = { loaded.model().weights() };
        boolean refitting = variants.stream().anyMatch(v -> v.startsWith("refit"));
        boolean training = variants.stream().anyMatch(v -> v.startsWith("online"));
        OnlineTrainer trainer = null;
        SequenceCount sequencesTrained = new SequenceCount();
        FeedbackListener listener = (u, item, t) -> vocabulary.add(item);
        if (training) {
            SasRecModel trained = SasRecModel.of(loaded.model().config().withLearningRate(2e-4f).withDropout(0f),
                    loaded.model().weights());
            trainer = new OnlineTrainer(trained, vocabulary, histories, online, OnlineTrainingConfig.defaults(),
                    sequencesTrained, "sasrec@warm").start();
            listener = trainer;
        }
        // The table as the warm part left it, never updated after: how much of the table's lead is its updates.
        ItemTables warmTables = ItemTables.standard();
        PopularityScorer warmPopularity = new PopularityScorer(3650 * 86_400_000.0, 0);
        Recommender warmApplier = variants.contains("cooccurrence-warm") ? new Recommender(new UserHistories(200, 2000),
                warmPopularity, warmTables, warmPopularity, weights, FeedbackListener.NONE, catalogue) : null;
        StreamVariants scorers = new StreamVariants(popularity, tables, NeighbourScorer.cooccurrence(
                warmTables.cooccurrence(), warmPopularity), frozen, online, refitted, vocabulary,
                loaded.fittedThroughMillis());
        Map<String, Recommender> byName = new LinkedHashMap<>();
        for (String v : variants) {
            byName.put(v, new Recommender(histories, popularity, tables, scorers.scorer(v), weights,
                    FeedbackListener.NONE, catalogue));
        }
        Recommender applier = new Recommender(histories, popularity, tables, popularity, weights, listener, catalogue,
                scorers.probes());
        ReplayTraits traits = ReplayTraits.of(data, vocabulary, frozen.acquire().map(f -> {
            try {
                return f.itemEmbeddings();
            } finally {
                f.release();
            }
        }).orElse(null), loaded.model().config().dim());
        StreamQuality[] quality = new StreamQuality[variants.size()];
        ListSums[][] windowSums = new ListSums[variants.size()][windows];
        for (int v = 0; v < variants.size(); v++) {
            quality[v] = new StreamQuality(Integer.MAX_VALUE, Integer.MAX_VALUE);
            for (int w = 0; w < windows; w++) {
                windowSums[v][w] = new ListSums();
            }
        }
        for (Interaction i : warm) {
            applier.apply(event(i), 0);
            for (StreamQuality q : quality) {
                q.applied(i.user(), i.item(), isPositive(i, positiveRating));
            }
            if (warmApplier != null) {
                warmApplier.apply(event(i), 0);
            }
        }
        if (trainer != null) {
            while (!trainer.caughtUp()) {
                Thread.sleep(100);
            }
        }
        System.out.printf(Locale.ROOT, "warm part applied: %,d events; replaying %,d%n", warm.size(), test.size());
        double[] hits = new double[variants.size()];
        double[] gain = new double[variants.size()];
        double[] gainKnown = new double[variants.size()];
        double[] eventGain = new double[variants.size()];
        Segments segments = new Segments(variants);
        PairComparison pair = oracle == null ? PairComparison.none(K) : new PairComparison(oracle, variants, fuse, K);
        int warmRows = vocabulary.rows();
        long scored = 0;
        long known = 0;
        long t0 = System.nanoTime();
        for (int n = 0; n < test.size(); n++) {
            Interaction i = test.get(n);
            if (rate > 0) {
                long due = t0 + (long) (n * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            boolean positive = isPositive(i, positiveRating);
            if (positive) {
                scored++;
                int row = vocabulary.row(i.item());
                boolean isKnown = row > 0 && row < warmRows;
                if (isKnown) {
                    known++;
                }
                java.util.Arrays.fill(eventGain, 0);
                for (int v = 0; v < variants.size(); v++) {
                    ScoreRequest ask = new ScoreRequest(i.user(), pair.depth(v), true);
                    ScoreReply r = pair.keep(v, byName.get(variants.get(v)).recommend(List.of(ask)).get(0));
                    quality[v].listed(windowSums[v][(int) ((long) n * windows / test.size())], i.user(),
                            r.items().stream().map(dev.recsys.wire.ScoredItem::itemId).toList(), i.item(), traits);
                    for (int rank = 0; rank < r.items().size(); rank++) {
                        if (r.items().get(rank).itemId().equals(i.item())) {
                            hits[v]++;
                            double g = 1 / (Math.log(rank + 2) / Math.log(2));
                            gain[v] += g;
                            eventGain[v] = g;
                            if (isKnown) {
                                gainKnown[v] += g;
                            }
                        }
                    }
                }
                pair.score(eventGain, i.item());
                segments.add(histories.snapshot(i.user()).sequence().size(), eventGain);
            }
            applier.apply(event(i), System.currentTimeMillis());
            for (StreamQuality q : quality) {
                q.applied(i.user(), i.item(), positive);
            }
            if (refitting && n > 0 && n % refitEvery == 0) {
                long r0 = System.nanoTime();
                List<int[]> sequences = new ArrayList<>();
                for (var h : histories.state().values()) {
                    int[] rows = h.sequence().stream().mapToInt(vocabulary::add).toArray();
                    if (rows.length >= 2) {
                        sequences.add(rows);
                    }
                }
                refitWeights[0] = WarmStartRefitExperiment.run(loaded.model().config(), refitWeights[0],
                        vocabulary, sequences, tables.cooccurrence(),
                        new WarmStartRefitExperiment.Settings(refitEpochs, 2e-3f, 0.5f));
                refitted.publish(new ModelSnapshot(SasRecModel.of(loaded.model().config(), refitWeights[0]),
                        "sasrec@refit" + n, 0));
                System.out.printf(Locale.ROOT, " [re-fit on %d users: %.1f s] ", sequences.size(),
                        (System.nanoTime() - r0) / 1e9);
            }
            if (n % 2000 == 0) {
                System.out.printf(Locale.ROOT, "\r%,d/%,d %s", n, test.size(), trainer == null ? ""
                        : trainer.steps() + " steps");
            }
        }
        System.out.printf(Locale.ROOT, "%n%d scored events, %.0f s%n", scored, (System.nanoTime() - t0) / 1e9);
        if (trainer != null) {
            // bin/replay prints the same two figures for the worker: how much was trained, not only how often.
            System.out.printf(Locale.ROOT, "online training: %,d steps (%.3f a replayed event), %,d sequences "
                    + "(%.2f a replayed event)%n", trainer.steps(), trainer.steps() / (double) test.size(),
                    sequencesTrained.total(), sequencesTrained.total() / (double) test.size());
        }
        System.out.printf(Locale.ROOT, "%d of them (%.0f%%) for items in the warm part%n", known, 100.0 * known / scored);
        System.out.printf(Locale.ROOT, "live item tables: %.1f MiB of a %.0f MiB budget, %,d entries, %,d dropped in %d prunings%n",
                tables.bytes() / 1048576.0, itemTableBytes / 1048576.0,
                tables.cooccurrence().entries() + tables.markov().entries(),
                tables.cooccurrence().prunedEntries() + tables.markov().prunedEntries(),
                tables.cooccurrence().prunings() + tables.markov().prunings());
        System.out.println("| variant | HR@10 | NDCG@10 | NDCG@10, items of the warm part | NDCG@10, newer items |");
        for (int v = 0; v < variants.size(); v++) {
            System.out.printf(Locale.ROOT, "| %s | %.4f | %.4f | %.4f | %.4f |%n", variants.get(v), hits[v] / scored,
                    gain[v] / scored, gainKnown[v] / known, (gain[v] - gainKnown[v]) / (scored - known));
        }
        List<ListQuality> totals = new ArrayList<>();
        for (int v = 0; v < variants.size(); v++) {
            totals.add(quality[v].summary(ListSums.of(windowSums[v])));
        }
        QualityReport.printTotals(variants, totals);
        for (int v = 0; v < variants.size(); v++) {
            ListQuality[] byWindow = new ListQuality[windows];
            for (int w = 0; w < windows; w++) {
                byWindow[w] = quality[v].summary(windowSums[v][w]);
            }
            QualityReport.printWindows(variants.get(v), byWindow);
        }
        pair.print(scored);
        segments.print();
        scorers.printGates();
        if (trainer != null) {
            trainer.close();
        }
        return 0;
    }

    private static boolean isPositive(Interaction i, double positiveRating) {
        return Double.isNaN(i.rating()) || i.rating() >= positiveRating;
    }

    private static FeedbackEvent event(Interaction i) {
        long millis = i.millis();
        return Double.isNaN(i.rating())
                ? new FeedbackEvent(null, i.user(), i.item(), FeedbackType.VIEW, null, millis)
                : new FeedbackEvent(null, i.user(), i.item(), FeedbackType.RATING, i.rating(), millis);
    }

    /** Sequences the online trainer has stepped on, counted as the worker's worker_training_sequences are. */
    private static final class SequenceCount implements TrainingListener {
        private final LongAdder sequences = new LongAdder();

        @Override
        public void stepped(double loss, int trained, long nanos) {
            sequences.add(trained);
        }

        long total() {
            return sequences.sum();
        }
    }
}
