package dev.recsys.eval.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.PopularityScorer;
import dev.recsys.core.ScoreQuery;
import dev.recsys.core.sasrec.ModelSnapshot;
import dev.recsys.core.sasrec.PyTorchEngine;
import dev.recsys.core.sasrec.SasRecConfig;
import dev.recsys.core.sasrec.SasRecModel;
import dev.recsys.core.sasrec.SasRecScorer;
import dev.recsys.core.sasrec.ScoringBackend;
import dev.recsys.core.sasrec.ServingModel;
import dev.recsys.tensorflow.TensorFlowBackend;
import dev.recsys.tensorflow.TensorFlowEngine;
import dev.recsys.tensorflow.TfSasRecGraph;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/bench-backends}: the worker's scorer (top 10, seen items excluded) on PyTorch and on TensorFlow,
 * side by side in one run, from the same weights: ~10,000 items, the default SASRec, histories of 50 items,
 * batch 1 and batch 64, one intra-op thread each.
 */
@Command(name = "bench-backends", mixinStandardHelpOptions = true,
        description = "The worker's scorer on PyTorch and on TensorFlow Java, side by side, from the same weights.")
public final class BackendBenchmark implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--items", defaultValue = "10000", description = "catalogue size (${DEFAULT-VALUE})")
    int items;

    @Option(names = "--runs", defaultValue = "2000", description = "timed calls at batch 1 (${DEFAULT-VALUE})")
    int runs;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BackendBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path root = Path.of(System.getProperty("stack.root", ".")).toAbsolutePath();
        PyTorchEngine.load(root.resolve("target/djl-cache"), 1);
        TensorFlowEngine.load(root.resolve("target/javacpp-cache"));
        SasRecConfig config = SasRecConfig.defaults();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            ids.add("i" + i);
        }
        ItemVocabulary vocabulary = ItemVocabulary.of(ids);
        SasRecModel.Weights weights = SasRecModel.initialWeights(config, items + 1);
        ServingModel serving = new ServingModel(new ModelSnapshot(SasRecModel.of(config, weights), "bench", 0));
        PopularityScorer fallback = new PopularityScorer(1e12, 0);
        Random random = new Random(1);
        System.out.printf(Locale.ROOT, "machine: %d cores (%s), Java %s; %,d items, %s, histories of 50 items%n%n",
                Runtime.getRuntime().availableProcessors(), Machine.cpu(), System.getProperty("java.version"), items, config);
        System.out.println("| backend | batch | p50 ms | p99 ms | requests/s |");
        System.out.println("|---|---|---|---|---|");
        try (TensorFlowBackend tensorflow = new TensorFlowBackend()) {
            for (int batch : new int[] { 1, 64 }) {
                List<ScoreQuery> queries = BenchmarkInputs.queries(batch, 50, items, random);
                for (var backend : List.of(new Named("PyTorch (DJL)", ScoringBackend.PYTORCH),
                        new Named("TensorFlow Java (graph)", tensorflow))) {
                    SasRecScorer scorer = new SasRecScorer(serving, vocabulary, fallback, backend.backend());
                    int n = batch == 1 ? runs : Math.max(50, runs / 20);
                    time(Math.max(20, n / 10), () -> scorer.score(queries)); // warm-up (and TF's graph build)
                    long[] nanos = time(n, () -> scorer.score(queries));
                    double seconds = Arrays.stream(nanos).sum() / 1e9;
                    Arrays.sort(nanos);
                    System.out.printf(Locale.ROOT, "| %s | %d | %.3f | %.3f | %,.0f |%n", backend.name(), batch,
                            nanos[nanos.length / 2] / 1e6, nanos[(int) (nanos.length * 0.99)] / 1e6, n * batch / seconds);
                }
            }
        }
        // What a newly published snapshot costs the TensorFlow backend before its first pass.
        long[] builds = time(5, () -> new TfSasRecGraph(config, weights).close());
        Arrays.sort(builds);
        System.out.printf(Locale.ROOT, "%nTensorFlow graph build for one snapshot (%,d items): median %.1f ms of 5%n",
                items, builds[2] / 1e6);
        serving.close();
        return 0;
    }

    private record Named(String name, ScoringBackend backend) {
    }

    private static long[] time(int runs, Runnable call) {
        long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
            long s = System.nanoTime();
            call.run();
            nanos[i] = System.nanoTime() - s;
        }
        return nanos;
    }
}
