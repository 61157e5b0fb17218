package dev.recsys.eval.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

import dev.recsys.core.ItemCatalogue;
import dev.recsys.core.ItemFilter;
import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.PopularityScorer;
import dev.recsys.core.ScoreQuery;
import dev.recsys.core.sasrec.PyTorchEngine;
import dev.recsys.core.sasrec.SasRecConfig;
import dev.recsys.core.sasrec.SasRecModel;
import dev.recsys.core.sasrec.SasRecScorer;
import dev.recsys.core.sasrec.SasRecTrainer;
import dev.recsys.wire.ItemUpdate;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/bench-scoring}: SASRec scoring latency and throughput as the worker runs it (one forward pass
 * per batch, seen items excluded, top-k), and training speed, on a catalogue of a given size. Weights are
 * random: speed does not depend on them.
 */
@Command(name = "bench-scoring", mixinStandardHelpOptions = true,
        description = "SASRec scoring latency (batch 1 and 64, with filters, while training) and training speed.")
public final class ScoringBenchmark implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--items", defaultValue = "10000", description = "catalogue size (${DEFAULT-VALUE})")
    int items;

    @Option(names = "--iterations", defaultValue = "2000", description = "timed calls at batch 1 (${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--threads", defaultValue = "1", description = "PyTorch intra-op threads (${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--blocks", description = "Transformer blocks (default: SasRecConfig.defaults())")
    Integer blocks;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ScoringBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PyTorchEngine.load(Path.of(System.getProperty("DJL_CACHE_DIR", "target/djl-cache")), threads);
        SasRecConfig config = blocks == null ? SasRecConfig.defaults() : SasRecConfig.defaults().withBlocks(blocks);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            ids.add("i" + i);
        }
        ItemVocabulary vocab = ItemVocabulary.of(ids);
        Random random = new Random(1);
        System.out.printf(Locale.ROOT, "machine: %d cores (%s), Java %s; PyTorch intra-op threads: %d%n",
                Runtime.getRuntime().availableProcessors(), Machine.cpu(), System.getProperty("java.version"), threads);
        System.out.printf(Locale.ROOT, "model: %s, %d items%n%n", config, items);
        System.out.println("| measure | p50 ms | p99 ms | throughput |");
        System.out.println("|---|---|---|---|");
        try (SasRecModel model = SasRecModel.create(config, vocab.rows())) {
            SasRecScorer scorer = SasRecScorer.of(model, vocab, new PopularityScorer(1, 0), "bench");
            for (int batch : new int[] { 1, 64 }) {
                List<ScoreQuery> queries = BenchmarkInputs.queries(batch, config.maxLength(), items, random);
                int runs = batch == 1 ? iterations : Math.max(50, iterations / 16);
                for (int i = 0; i < runs / 5; i++) {
                    scorer.score(queries);
                }
                Timing t = Timing.of(runs, () -> scorer.score(queries));
                System.out.printf(Locale.ROOT, "| score, batch %d, top-10 of %d items | %.3f | %.3f | %,.0f requests/s |%n",
                        batch, items, t.p50Millis(), t.p99Millis(), runs * batch / t.seconds());
            }
            withFilters(scorer, config, vocab, items, iterations, random);
            whileTraining(scorer, config, vocab, items, iterations, random);
        }
        for (int negatives : new int[] { 0, 256 }) {
            SasRecConfig train = new SasRecConfig(config.maxLength(), config.dim(), config.heads(), config.blocks(),
                    config.dropout(), config.learningRate(), config.batchSize(), negatives, config.seed());
            try (SasRecModel model = SasRecModel.create(train, vocab.rows())) {
                SasRecTrainer trainer = new SasRecTrainer(model);
                List<int[]> batch = new ArrayList<>();
                for (int b = 0; b < train.batchSize(); b++) {
                    batch.add(random.ints(train.maxLength() + 1, 1, items + 1).toArray());
                }
                trainer.step(batch);
                int steps = 10;
                long t0 = System.nanoTime();
                for (int i = 0; i < steps; i++) {
                    trainer.step(batch);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "| train, batch %d, %s | %.1f per step | | %,.0f sequences/s |%n",
                        train.batchSize(), negatives == 0 ? "full softmax" : negatives + " sampled negatives",
                        seconds / steps * 1000, steps * train.batchSize() / seconds);
            }
        }
        return 0;
    }

    /**
     * Batch-1 scoring with and without the filters recommend takes (one category of twenty, 20 excluded ids,
     * 1% of the catalogue hidden), alternating call by call so that drift falls on both alike; and similar
     * items (cosine over the item table).
     */
    private static void withFilters(SasRecScorer scorer, SasRecConfig config, ItemVocabulary vocab, int items,
            int iterations, Random random) {
        ItemCatalogue catalogue = new ItemCatalogue();
        for (int i = 0; i < items; i++) {
            catalogue.apply(new ItemUpdate("i" + i, List.of("g" + i % 20), random.nextInt(100) == 0, 0));
        }
        ScoreQuery plain = BenchmarkInputs.queries(1, config.maxLength(), items, random).get(0);
        Set<String> exclude = new HashSet<>(plain.filter().excluded());
        for (int i = 0; i < 20; i++) {
            exclude.add("i" + random.nextInt(items));
        }
        ScoreQuery filtered = new ScoreQuery(plain.userId(), plain.sequence(),
                new ItemFilter(catalogue, Set.of("g3"), exclude), plain.k(), null);
        long[] a = new long[iterations];
        long[] b = new long[iterations];
        for (int i = 0; i < iterations / 5; i++) {
            scorer.score(List.of(plain));
            scorer.score(List.of(filtered));
        }
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            scorer.score(List.of(plain));
            long t1 = System.nanoTime();
            scorer.score(List.of(filtered));
            a[i] = t1 - t0;
            b[i] = System.nanoTime() - t1;
        }
        Arrays.sort(a);
        Arrays.sort(b);
        System.out.printf(Locale.ROOT, "| score, batch 1, no filter (alternating with the next row) | %.3f | %.3f | |%n",
                a[iterations / 2] / 1e6, a[(int) (iterations * 0.99)] / 1e6);
        System.out.printf(Locale.ROOT, "| score, batch 1, 1 category of 20 + 20 excluded + 1%% hidden | %.3f | %.3f | |%n",
                b[iterations / 2] / 1e6, b[(int) (iterations * 0.99)] / 1e6);
        ItemFilter visible = new ItemFilter(catalogue, Set.of(), Set.of());
        Timing t = Timing.of(iterations, () -> scorer.similar("i" + random.nextInt(items), visible, 10));
        System.out.printf(Locale.ROOT, "| similar items, top-10 of %d by cosine | %.3f | %.3f | %,.0f requests/s |%n",
                items, t.p50Millis(), t.p99Millis(), iterations / t.seconds());
    }

    /**
     * Batch-1 scoring again while another thread takes online training steps (as the worker's trainer does:
     * 16 touched plus 16 replayed sequences, the last 8 transitions of each), on a model of its own.
     */
    private static void whileTraining(SasRecScorer scorer, SasRecConfig config, ItemVocabulary vocab, int items,
            int iterations, Random random) throws InterruptedException {
        List<ScoreQuery> one = BenchmarkInputs.queries(1, config.maxLength(), items, random);
        java.util.concurrent.atomic.AtomicBoolean training = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicLong steps = new java.util.concurrent.atomic.AtomicLong();
        Thread trainer = new Thread(() -> {
            try (SasRecModel model = SasRecModel.create(config, vocab.rows())) {
                SasRecTrainer t = new SasRecTrainer(model);
                Random r = new Random(2);
                List<int[]> batch = new ArrayList<>();
                for (int b = 0; b < 32; b++) {
                    batch.add(r.ints(config.maxLength() + 1, 1, items + 1).toArray());
                }
                while (training.get()) {
                    t.step(batch, 8);
                    steps.incrementAndGet();
                }
            }
        }, "online-trainer");
        trainer.start();
        while (steps.get() < 2) {
            Thread.sleep(10);
        }
        long s0 = steps.get();
        Timing t = Timing.of(iterations, () -> scorer.score(one));
        long trained = steps.get() - s0;
        training.set(false);
        trainer.join();
        System.out.printf(Locale.ROOT, "| score, batch 1, while online training runs (%.1f steps/s) | %.3f | %.3f | %,.0f requests/s |%n",
                trained / t.seconds(), t.p50Millis(), t.p99Millis(), iterations / t.seconds());
    }

    /** Each call's time, sorted, and the wall time of all of them. */
    private record Timing(long[] sortedNanos, double seconds) {
        static Timing of(int runs, Runnable call) {
            long[] nanos = new long[runs];
            long t0 = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                long s = System.nanoTime();
                call.run();
                nanos[i] = System.nanoTime() - s;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Arrays.sort(nanos);
            return new Timing(nanos, seconds);
        }

        double p50Millis() {
            return sortedNanos[sortedNanos.length / 2] / 1e6;
        }

        double p99Millis() {
            return sortedNanos[(int) (sortedNanos.length * 0.99)] / 1e6;
        }
    }
}
