package dev.recsys.eval.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;

import ai.djl.Device;
import ai.djl.engine.Engine;

import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.PopularityScorer;
import dev.recsys.core.ScoreQuery;
import dev.recsys.core.sasrec.ComputeDevice;
import dev.recsys.core.sasrec.PyTorchEngine;
import dev.recsys.core.sasrec.SasRecConfig;
import dev.recsys.core.sasrec.SasRecInference;
import dev.recsys.core.sasrec.SasRecModel;
import dev.recsys.core.sasrec.SasRecScorer;
import dev.recsys.core.sasrec.SasRecTrainer;
import dev.recsys.core.sasrec.ModelSnapshot;
import dev.recsys.core.sasrec.ScoringBackend;
import dev.recsys.core.sasrec.ServingModel;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/bench-gpu}: the model on whatever device is present and on the CPU, in one run, with the ratio:
 * scoring at batch 1, 64 and 256 over catalogues of 10,000 and 1,000,000 items, both as the worker does it
 * (every item's score to the host, then filters and top-k there) and with the mask and top-k on the device;
 * online training steps (events/s) and a bootstrap epoch (sequences/s). Random weights: speed does not
 * depend on them.
 */
@Command(name = "bench-gpu", mixinStandardHelpOptions = true,
        description = "Scoring and training on the device present (a GPU when visible) and on the CPU, with the ratio.")
public final class DeviceBenchmark implements Callable<Integer> {

    @Option(names = "--items", split = ",", defaultValue = "10000,1000000", description = "catalogue sizes (${DEFAULT-VALUE})")
    List<Integer> catalogues;

    @Option(names = "--batches", split = ",", defaultValue = "1,64,256", description = "scoring batch sizes (${DEFAULT-VALUE})")
    List<Integer> batches;

    @Option(names = "--seconds", defaultValue = "3", description = "timed seconds per measure, after a warm-up (${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--blocks", defaultValue = "1", description = "Transformer blocks: the worker's own model has 1 (${DEFAULT-VALUE})")
    int blocks;

    @Option(names = "--train-items", defaultValue = "10000", description = "catalogue size for the training measures (${DEFAULT-VALUE})")
    int trainItems;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DeviceBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path cache = Path.of(System.getProperty("DJL_CACHE_DIR", "target/djl-cache"));
        Device present = PyTorchEngine.load(cache, Runtime.getRuntime().availableProcessors(), ComputeDevice.Choice.AUTO);
        SasRecConfig config = SasRecConfig.defaults().withBlocks(blocks).withDropout(0f);
        System.out.printf(Locale.ROOT, "machine: %s; PyTorch %s, GPUs visible: %d%n", Machine.describe(),
                Engine.getEngine("PyTorch").getVersion(), Engine.getEngine("PyTorch").getGpuCount());
        System.out.printf(Locale.ROOT, "model: %s; histories of 50 items; %.0f s per measure%n", config, seconds);
        if (present.equals(Device.cpu())) {
            System.out.println("no GPU visible: the table has the CPU only (the ratio column is empty)");
        }
        List<Device> devices = present.equals(Device.cpu()) ? List.of(Device.cpu()) : List.of(present, Device.cpu());
        System.out.println();
        System.out.println("| measure | " + String.join(" | ", devices.stream().map(d -> d + " p50 / p99 ms").toList())
                + (devices.size() > 1 ? " | CPU / " + present + " at p50" : "") + " |");
        System.out.println("|---|" + "---|".repeat(devices.size() + (devices.size() > 1 ? 1 : 0)));
        for (int items : catalogues) {
            for (int batch : batches) {
                row("score, batch " + batch + ", " + String.format(Locale.ROOT, "%,d", items) + " items, all scores to host, then mask and top-10",
                        devices, d -> scoring(d, config, items, batch, false));
                row("score, batch " + batch + ", " + String.format(Locale.ROOT, "%,d", items) + " items, mask and top-10 on the device",
                        devices, d -> scoring(d, config, items, batch, true));
            }
        }
        System.out.println();
        System.out.println("| training, " + String.format(Locale.ROOT, "%,d", trainItems) + " items | "
                + String.join(" | ", devices.stream().map(Object::toString).toList())
                + (devices.size() > 1 ? " | " + present + " / CPU" : "") + " |");
        System.out.println("|---|" + "---|".repeat(devices.size() + (devices.size() > 1 ? 1 : 0)));
        // Online: 16 touched users a step, their new events (up to 8 each) trained, plus 16 from the replay buffer.
        rate("online training: new events/s (steps of 32 sequences, last 8 transitions, 16 touched users)", "%,.0f",
                devices, d -> training(d, config, 32, 8, 16 * 8));
        // Bootstrap: every user's newest window once an epoch, batches of 32.
        rate("bootstrap: epochs/s over 2,000 users (batches of 32 full windows)", "%.3f", devices,
                d -> new double[] { training(d, config, 32, config.maxLength(), 32)[0] / 2000 });
        return 0;
    }

    private interface Measure {
        double[] on(Device device) throws Exception;
    }

    /** p50 / p99 in ms per device, and CPU over the other device at p50. */
    private static void row(String name, List<Device> devices, Measure m) throws Exception {
        List<String> cells = new ArrayList<>();
        double[] first = null;
        double[] last = null;
        for (Device d : devices) {
            double[] t = m.on(d);
            cells.add(String.format(Locale.ROOT, "%.3f / %.3f", t[0], t[1]));
            first = first == null ? t : first;
            last = t;
        }
        String ratio = devices.size() > 1 ? String.format(Locale.ROOT, " | %.1fx", last[0] / first[0]) : "";
        System.out.println("| " + name + " | " + String.join(" | ", cells) + ratio + " |");
    }

    /** A rate per device (first element of the measure), and the other device over the CPU. */
    private static void rate(String name, String format, List<Device> devices, Measure m) throws Exception {
        List<String> cells = new ArrayList<>();
        double first = 0;
        double last = 0;
        for (Device d : devices) {
            double r = m.on(d)[0];
            cells.add(String.format(Locale.ROOT, format, r));
            first = first == 0 ? r : first;
            last = r;
        }
        String ratio = devices.size() > 1 ? String.format(Locale.ROOT, " | %.1fx", first / last) : "";
        System.out.println("| " + name + " | " + String.join(" | ", cells) + ratio + " |");
    }

    private double[] scoring(Device device, SasRecConfig config, int items, int batch, boolean onDevice) {
        Random random = new Random(1);
        try (SasRecModel model = on(device, () -> SasRecModel.create(config, items + 1))) {
            List<String> ids = new ArrayList<>(items);
            for (int i = 0; i < items; i++) {
                ids.add("i" + i);
            }
            ItemVocabulary vocabulary = ItemVocabulary.of(ids);
            // Both as the worker serves top-k, seen items excluded: every score to the host and the filter and
            // selection there (what a backend without its own selection does), or masked and selected on the
            // device with only the top rows crossing.
            ScoringBackend backend = onDevice ? ScoringBackend.PYTORCH
                    : (snapshot, h) -> SasRecInference.scores(snapshot.model(), h);
            SasRecScorer scorer = new SasRecScorer(new ServingModel(new ModelSnapshot(model, "sasrec@bench", 0)),
                    vocabulary, new PopularityScorer(1, 0), backend);
            List<ScoreQuery> queries = BenchmarkInputs.queries(batch, 50, items, random);
            return time(() -> scorer.score(queries));
        }
    }

    /** Steps/s times the new events each step takes in: events/s (online) or sequences/s (an epoch). */
    private double[] training(Device device, SasRecConfig config, int sequences, int targets, int eventsPerStep) {
        Random random = new Random(2);
        try (SasRecModel model = on(device, () -> SasRecModel.create(config, trainItems + 1))) {
            SasRecTrainer trainer = new SasRecTrainer(model);
            List<int[]> batch = new ArrayList<>();
            for (int b = 0; b < sequences; b++) {
                batch.add(random.ints(config.maxLength() + 1, 1, trainItems + 1).toArray());
            }
            int[] last = new int[sequences];
            Arrays.fill(last, targets);
            double[] t = time(() -> trainer.step(batch, last));
            return new double[] { eventsPerStep / (t[0] / 1000) };
        }
    }

    /** Makes a model on {@code device}, then puts the selection back as it was. */
    private static SasRecModel on(Device device, java.util.function.Supplier<SasRecModel> make) {
        Device before = ComputeDevice.current();
        ComputeDevice.use(device);
        try {
            return make.get();
        } finally {
            ComputeDevice.use(before);
        }
    }

    /** Warm-up for a fifth of the time, then calls for {@code seconds}: p50 and p99 in ms. */
    private double[] time(Runnable call) {
        long warmUntil = System.nanoTime() + (long) (seconds * 2e8);
        do {
            call.run();
        } while (System.nanoTime() < warmUntil);
        List<Long> nanos = new ArrayList<>();
        long until = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < until || nanos.size() < 5) {
            long t0 = System.nanoTime();
            call.run();
            nanos.add(System.nanoTime() - t0);
        }
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return new double[] { sorted[sorted.length / 2] / 1e6, sorted[Math.min(sorted.length - 1,
                (int) Math.ceil(sorted.length * 0.99) - 1)] / 1e6 };
    }
}
