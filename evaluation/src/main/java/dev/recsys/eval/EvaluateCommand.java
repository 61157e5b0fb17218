package dev.recsys.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.sasrec.CooccurrenceEmbeddings;
import dev.recsys.core.sasrec.ModelFolder;
import dev.recsys.core.sasrec.SasRecConfig;
import dev.recsys.core.sasrec.SasRecModel;
import dev.recsys.core.sasrec.SasRecInference;
import dev.recsys.core.sasrec.SasRecTrainer;

/**
 * {@code bin/evaluate}: trains SASRec on a dataset and compares it with the baselines under one protocol
 * (leave-one-out, full ranking, history filtered), over several seeds. Prints a table, writes every
 * figure to a JSON file, and can save the best model for the worker.
 * <p>
 * A tool, not the product, over 300 lines: the protocol (baselines, seeds, early stopping, refit, test,
 * report) reads in the order it runs; its options are {@link EvaluateOptions}.
 */
public final class EvaluateCommand {

    /** Each baseline, fit on the given training sequences. */
    private static final List<BiFunction<Integer, List<int[]>, Ranker>> BASELINES = List.of(Baselines::popularity,
            (rows, train) -> Baselines.itemKnn(rows, train, 5), Baselines::markovChain, Baselines::cooccurrence);

    public static void main(String[] args) throws Exception {
        EvaluateOptions o = EvaluateOptions.parse(args);
        if (o == null) {
            return; // --help
        }
        long t0 = System.nanoTime();
        Dataset data = Dataset.read(o.data, o.minInteractions, o.minRating);
        LeaveOneOut split = new LeaveOneOut(data.sequences.values());
        int rows = data.items.rows();
        System.out.printf("%s: %d users, %d items, %d interactions (min %d per user%s); read in %.1f s%n",
                o.data, data.sequences.size(), rows - 1, data.interactions(), o.minInteractions,
                Double.isNaN(o.minRating) ? "" : ", rating >= " + o.minRating, (System.nanoTime() - t0) / 1e9);
        List<Set<String>> categories = o.categories == null ? null : categories(o.categories, data.items);
        Evaluator evaluator = new Evaluator(rows, split.train, categories);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dataset", Map.of("path", o.data.toString(), "users", data.sequences.size(), "items", rows - 1,
                "interactions", data.interactions(), "minInteractions", o.minInteractions));
        json.put("protocol", "leave-one-out; full ranking over the catalogue; user's history filtered; "
                + "ties broken by one fixed random item order");
        // With --refit, every model (baselines too) sees the validation item as training data for the test.
        List<int[]> testFit = o.refit ? split.trainAndValidation : split.train;
        Evaluator testEvaluator = o.refit ? new Evaluator(rows, testFit, categories) : evaluator;
        Map<String, Metrics.Result> baselines = new LinkedHashMap<>();
        Map<String, double[]> baselinesPerUser = new LinkedHashMap<>();
        Map<String, Double> baselinesValid = new LinkedHashMap<>();
        for (BiFunction<Integer, List<int[]>, Ranker> baseline : BASELINES) {
            Ranker onTrain = baseline.apply(rows, split.train);
            baselinesValid.put(onTrain.name(), evaluator.evaluate(onTrain, split.validation).ndcg10());
            Ranker forTest = o.refit ? baseline.apply(rows, testFit) : onTrain;
            Metrics test = testEvaluator.measure(forTest, split.test);
            baselines.put(onTrain.name(), test.result());
            baselinesPerUser.put(onTrain.name(), test.ndcg10PerUser());
        }
        json.put("baselines", baselines);
        json.put("baselinesValidNdcg10", baselinesValid);

        List<Map<String, Object>> runs = new ArrayList<>();
        List<Metrics.Result> sasrec = new ArrayList<>();
        List<double[]> sasrecPerUser = new ArrayList<>();
        for (int s = 0; s < o.seeds; s++) {
            SasRecConfig config = o.config.withSeed(o.config.seed() + s);
            Map<String, Object> run = train(config, split, evaluator, testEvaluator, rows, o,
                    s == 0 ? data.items : null, sasrecPerUser);
            runs.add(run);
            sasrec.add((Metrics.Result) run.get("test"));
        }
        json.put("sasrec", Map.of("config", o.config, "training", o.training(), "runs", runs, "mean", mean(sasrec),
                "std", std(sasrec)));

        String best = baselines.entrySet().stream().max(Comparator.comparingDouble(e -> e.getValue().ndcg10()))
                .orElseThrow().getKey();
        double ratio = mean(sasrec).get("ndcg10") / baselines.get(best).ndcg10();
        json.put("ndcg10OverBestBaseline", ratio);
        // Each user's figure averaged over the seeds gives the same ratio; resampling the users shows how far
        // it could move with another draw of as many test users.
        PairedBootstrap.Interval overUsers = PairedBootstrap.ratioOfMeans(perUserMean(sasrecPerUser),
                baselinesPerUser.get(best), 2000, 0.95, 1);
        json.put("ndcg10OverBestBaselineOverUsers", overUsers);
        printTable(baselines, sasrec, o.seeds, ratio, categories != null);
        System.out.printf(Locale.ROOT, "95%% interval over test users (paired bootstrap against %s, %d resamples; "
                + "training randomness not included): %.2f to %.2f%n", best, overUsers.resamples(), overUsers.low(),
                overUsers.high());
        if (o.refit) {
            double selected = runs.stream().mapToDouble(r -> ((Metrics.Result) r.get("selectedTest")).ndcg10())
                    .average().orElse(Double.NaN);
            System.out.printf(Locale.ROOT, "refit on every item but the test one (baselines too); without the "
                    + "refit, SASRec's test NDCG@10 is %.4f%n", selected);
        }
        if (o.json != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(o.json.toFile(), json);
            System.out.println("every figure: " + o.json);
        }
    }

    private static Map<String, Object> train(SasRecConfig config, LeaveOneOut split, Evaluator evaluator,
            Evaluator testEvaluator, int rows, EvaluateOptions o, ItemVocabulary saveWith, List<double[]> perUser)
            throws IOException {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("seed", config.seed());
        Selection chosen;
        try (SasRecModel model = SasRecModel.create(config, rows)) {
            chosen = select(model, split, evaluator, o);
            run.put("epochs", chosen.fit().epochs());
            run.put("bestEpoch", chosen.epoch());
            run.put("validNdcg10", chosen.valid());
            run.put("trainSeconds", chosen.fit().seconds());
            run.put("sequencesPerSecond", chosen.fit().sequencesPerSecond());
            model.load(chosen.weights());
            Metrics test = testEvaluator.measure(ranker(model), split.test);
            if (o.blendShares.length > 0) {
                run.put("blendedTestNdcg10", blended(model, rows, split, testEvaluator, o.blendShares));
            }
            if (!o.refit) {
                run.put("test", test.result());
                perUser.add(test.ndcg10PerUser());
                save(o, model, saveWith);
                return run;
            }
            run.put("selectedTest", test.result());
        }
        // What validation chose (the epoch count among it), now on every item but the test one.
        try (SasRecModel model = SasRecModel.create(config, rows)) {
            Fit refit = fit(model, split.trainAndValidation, o, chosen.epoch(),
                    (epoch, average) -> new EpochResult(Double.NaN, Double.NaN, 0, true));
            run.put("refitSeconds", refit.seconds());
            Metrics test = testEvaluator.measure(ranker(model), split.test);
            run.put("test", test.result());
            perUser.add(test.ndcg10PerUser());
            save(o, model, saveWith);
        }
        return run;
    }

    /** The best epoch on validation NDCG@10, with its (averaged) weights. */
    record Selection(int epoch, double valid, SasRecModel.Weights weights, Fit fit) {
    }

    /** Trains on the training items, stopping when validation has not improved for the patience. */
    private static Selection select(SasRecModel model, LeaveOneOut split, Evaluator evaluator, EvaluateOptions o) {
        Ranker ranker = ranker(model);
        double[] best = { -1 };
        int[] bestEpoch = { 0 };
        SasRecModel.Weights[] bestWeights = { null };
        Fit fit = fit(model, split.train, o, o.maxEpochs, (epoch, average) -> {
            double valid = evaluator.evaluate(ranker, split.validation).ndcg10();
            if (valid > best[0]) {
                best[0] = valid;
                bestEpoch[0] = epoch;
                bestWeights[0] = average.snapshot();
            }
            return new EpochResult(valid, best[0], bestEpoch[0], epoch - bestEpoch[0] < o.patience);
        });
        return new Selection(bestEpoch[0], best[0], bestWeights[0], fit);
    }

    private static void save(EvaluateOptions o, SasRecModel model, ItemVocabulary saveWith) throws IOException {
        if (saveWith != null && o.saveModel != null) {
            ModelFolder.save(o.saveModel, model, saveWith);
            System.out.println("saved the seed-" + model.config().seed() + " model to " + o.saveModel);
        }
    }

    /** What an epoch's check saw: validation NDCG@10 (NaN when none), the best so far, and whether to go on. */
    record EpochResult(double valid, double best, int bestEpoch, boolean goOn) {
    }

    /** Looks at the model after each epoch, while it holds the weights validation and test would see. */
    interface EpochCheck {
        EpochResult after(int epoch, WeightAverage average);
    }

    record Fit(int epochs, long sequences, double seconds) {
        double sequencesPerSecond() {
            return sequences / seconds;
        }
    }

    /**
     * Trains {@code model} on {@code sequences} for up to {@code maxEpochs} epochs, with the options' item
     * start, schedule and weight average; the check sees the averaged weights in the model after each
     * epoch. The model ends holding the last epoch's averaged weights.
     */
    private static Fit fit(SasRecModel model, List<int[]> sequences, EvaluateOptions o, int maxEpochs,
            EpochCheck check) {
        SasRecConfig config = model.config();
        if (o.cooccurrenceInit) {
            CooccurrenceEmbeddings.startItems(model, sequences, o.cooccurrenceWindow);
        }
        SasRecTrainer trainer = new SasRecTrainer(model, o.weightDecay, o.futureTargets, o.sequenceWeightPower);
        WeightAverage average = new WeightAverage(o.averageDecay);
        List<int[]> windows = o.trainingWindows.of(sequences, config.maxLength());
        long trainNanos = 0;
        long trained = 0;
        int epoch = 0;
        boolean goOn = true;
        while (epoch < maxEpochs && goOn) {
            epoch++;
            trainer.scaleLearningRate(o.schedule.factor(epoch, o.maxEpochs));
            long e0 = System.nanoTime();
            int shown = epoch;
            double loss = trainer.epoch(windows, (done, total) -> Progress.show(config.seed(), shown, maxEpochs,
                    done, total, e0));
            long took = System.nanoTime() - e0;
            trainNanos += took;
            trained += windows.size();
            SasRecModel.Weights own = model.weights();
            average.update(own);
            if (o.averageDecay > 0) {
                model.load(average.current());
            }
            EpochResult r = check.after(epoch, average);
            goOn = r.goOn();
            if (o.averageDecay > 0 && goOn && epoch < maxEpochs) {
                model.load(own); // training goes on from its own weights, with Adam's moments
            }
            Progress.epochDone(config.seed(), epoch, loss, r, windows.size() / (took / 1e9));
        }
        return new Fit(epoch, trained, trainNanos / 1e9);
    }

    /**
     * The trained model mixed with the co-occurrence table at each share, as the worker blends them
     * ({@code (1 - w) * softmax(model) + w * table}), tested like the rest: test NDCG@10 by share.
     */
    private static Map<String, Double> blended(SasRecModel model, int rows, LeaveOneOut split, Evaluator test,
            double[] shares) {
        Ranker table = Baselines.cooccurrence(rows, split.train);
        Ranker sasrec = ranker(model);
        Map<String, Double> out = new LinkedHashMap<>();
        for (double w : shares) {
            Ranker blend = new Ranker() {
                @Override
                public String name() {
                    return "SASRec + co-occurrence " + w;
                }

                @Override
                public float[][] scores(List<int[]> histories) {
                    float[][] mixed = sasrec.scores(histories);
                    float[][] votes = table.scores(histories);
                    for (int h = 0; h < mixed.length; h++) {
                        float[] p = dev.recsys.core.sasrec.NeighbourBlend.softmax(mixed[h], r -> true, mixed[h].length);
                        for (int r = 1; r < p.length; r++) {
                            mixed[h][r] = (float) ((1 - w) * p[r] + w * votes[h][r]);
                        }
                    }
                    return mixed;
                }
            };
            double ndcg = test.evaluate(blend, split.test).ndcg10();
            out.put(Double.toString(w), ndcg);
            System.out.printf(Locale.ROOT, "SASRec mixed with co-occurrence at share %.2f: test NDCG@10 %.4f%n", w, ndcg);
        }
        return out;
    }

    static Ranker ranker(SasRecModel model) {
        return new Ranker() {
            @Override
            public String name() {
                return "SASRec";
            }

            @Override
            public float[][] scores(List<int[]> histories) {
                return SasRecInference.scores(model, histories);
            }
        };
    }

    private static void printTable(Map<String, Metrics.Result> baselines, List<Metrics.Result> sasrec, int seeds,
            double ratio, boolean withIld) {
        System.out.println();
        System.out.println("| model | HR@10 | NDCG@10 | HR@20 | NDCG@20 | MRR | coverage@10 | novelty@10 |"
                + (withIld ? " ILD@10 |" : ""));
        System.out.println("|---|---|---|---|---|---|---|---|" + (withIld ? "---|" : ""));
        for (var e : baselines.entrySet()) {
            Metrics.Result r = e.getValue();
            System.out.printf(Locale.ROOT, "| %s | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f | %.2f |%s%n", e.getKey(),
                    r.hr10(), r.ndcg10(), r.hr20(), r.ndcg20(), r.mrr(), r.coverage10(), r.novelty10(),
                    withIld ? String.format(Locale.ROOT, " %.4f |", r.ild10()) : "");
        }
        Map<String, Double> m = mean(sasrec);
        Map<String, Double> s = std(sasrec);
        System.out.printf(Locale.ROOT, "| SASRec (%d seeds, mean ± std) | %s | %s | %s | %s | %s | %s | %s |%s%n", seeds,
                pm(m, s, "hr10"), pm(m, s, "ndcg10"), pm(m, s, "hr20"), pm(m, s, "ndcg20"), pm(m, s, "mrr"),
                pm(m, s, "coverage10"), pm(m, s, "novelty10"), withIld ? " " + pm(m, s, "ild10") + " |" : "");
        System.out.printf(Locale.ROOT, "%nSASRec NDCG@10 / best baseline NDCG@10 = %.2f%n", ratio);
    }

    private static String pm(Map<String, Double> m, Map<String, Double> s, String key) {
        return String.format(Locale.ROOT, "%.4f ± %.4f", m.get(key), s.get(key));
    }

    /** Each user's figure averaged over the runs (seeds). */
    static double[] perUserMean(List<double[]> runs) {
        double[] mean = new double[runs.get(0).length];
        for (double[] run : runs) {
            for (int u = 0; u < mean.length; u++) {
                mean[u] += run[u] / runs.size();
            }
        }
        return mean;
    }

    static Map<String, Double> mean(List<Metrics.Result> results) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (var e : fields(results.get(0)).keySet()) {
            out.put(e, results.stream().mapToDouble(r -> fields(r).get(e)).average().orElse(Double.NaN));
        }
        return out;
    }

    static Map<String, Double> std(List<Metrics.Result> results) {
        Map<String, Double> mean = mean(results);
        Map<String, Double> out = new LinkedHashMap<>();
        for (var e : mean.entrySet()) {
            double var = results.stream().mapToDouble(r -> Math.pow(fields(r).get(e.getKey()) - e.getValue(), 2))
                    .sum() / Math.max(1, results.size() - 1);
            out.put(e.getKey(), Math.sqrt(var));
        }
        return out;
    }

    private static Map<String, Double> fields(Metrics.Result r) {
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("hr10", r.hr10());
        f.put("ndcg10", r.ndcg10());
        f.put("hr20", r.hr20());
        f.put("ndcg20", r.ndcg20());
        f.put("mrr", r.mrr());
        f.put("coverage10", r.coverage10());
        f.put("novelty10", r.novelty10());
        f.put("ild10", r.ild10() == null ? Double.NaN : r.ild10());
        return f;
    }

    /** MovieLens movies.csv: id first, pipe-separated genres last (titles may hold quoted commas). */
    static List<Set<String>> categories(Path movies, ItemVocabulary items) throws IOException {
        List<Set<String>> out = new ArrayList<>();
        for (int i = 0; i < items.rows(); i++) {
            out.add(Set.of());
        }
        List<String> lines = Files.readAllLines(movies, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            int first = line.indexOf(',');
            int last = line.lastIndexOf(',');
            if (first < 0) {
                continue;
            }
            int row = items.row(line.substring(0, first));
            if (row > 0) {
                Set<String> genres = new HashSet<>(List.of(line.substring(last + 1).split("\\|")));
                genres.remove("(no genres listed)");
                out.set(row, genres);
            }
        }
        return out;
    }

    /** A one-line progress bar with ETA on stderr, and a line per epoch. */
    static final class Progress {
        static void show(long seed, int epoch, int maxEpochs, int done, int total, long startNanos) {
            double elapsed = (System.nanoTime() - startNanos) / 1e9;
            double rate = done / Math.max(elapsed, 1e-9);
            int filled = (int) (30.0 * done / total);
            System.err.printf(Locale.ROOT, "\rseed %d epoch %d/%d [%s%s] %d/%d seq, %.0f seq/s, epoch ETA %.0f s   ",
                    seed, epoch, maxEpochs, "#".repeat(filled), ".".repeat(30 - filled), done, total, rate,
                    (total - done) / Math.max(rate, 1e-9));
        }

        static void epochDone(long seed, int epoch, double loss, EpochResult r, double seqPerSecond) {
            String valid = Double.isNaN(r.valid()) ? "refit"
                    : String.format(Locale.ROOT, "valid NDCG@10 %.4f (best %.4f at %d)", r.valid(), r.best(),
                            r.bestEpoch());
            System.err.printf(Locale.ROOT, "\rseed %d epoch %d: loss %.4f, %s, %.0f seq/s%n", seed, epoch, loss,
                    valid, seqPerSecond);
        }
    }
}
