package dev.recsys.stack.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.recsys.core.AppliedEventIds;
import dev.recsys.core.FeedbackWeights;
import dev.recsys.core.ForgottenUsers;
import dev.recsys.core.ItemCatalogue;
import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.PopularityScorer;
import dev.recsys.core.UserHistories;
import dev.recsys.core.neighbours.ItemTables;
import dev.recsys.core.recommender.FeedbackAdmission;
import dev.recsys.core.recommender.Recommender;
import dev.recsys.core.sasrec.OnlineTrainer;
import dev.recsys.core.sasrec.OnlineTrainingConfig;
import dev.recsys.core.sasrec.PyTorchEngine;
import dev.recsys.core.sasrec.SasRecConfig;
import dev.recsys.core.sasrec.SasRecModel;
import dev.recsys.core.sasrec.ServingModel;
import dev.recsys.core.sasrec.TrainingListener;
import dev.recsys.wire.FeedbackEvent;
import dev.recsys.wire.FeedbackType;

/**
 * {@code bin/bench-trainer-memory}: whether the trainer's heap grows with users. Synthetic users arrive one
 * after another (each with a history length drawn from a ratings file's users, scaled by
 * {@code --length-scale}, items Zipf over {@code --items}) and go through the trainer's own path as fast as
 * it applies them: admission with event ids, histories within the worker's default limits (least recently
 * active users evicted), popularity, the item tables, and online training on PyTorch (its queue of users
 * bounded). Every {@code --report-every} users the heap is read after a full collection. Prints a table.
 */
@Command(name = "bench-trainer-memory", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The trainer's heap against users streamed through it, and the rates it keeps.")
public final class TrainerMemoryBenchmark implements Callable<Integer> {

    @Option(names = "--ratings", required = true, description = "a ratings file whose users' history lengths the "
            + "synthetic users take (MovieLens ratings.csv)")
    Path ratings;

    @Option(names = "--users", defaultValue = "5000000", description = "(${DEFAULT-VALUE})")
    int users;

    @Option(names = "--report-every", defaultValue = "500000", description = "(${DEFAULT-VALUE})")
    int reportEvery;

    @Option(names = "--length-scale", defaultValue = "1.0", description = "each drawn history length times this, "
            + "at least 1 (${DEFAULT-VALUE})")
    double lengthScale;

    @Option(names = "--items", defaultValue = "100000", description = "(${DEFAULT-VALUE})")
    int items;

    @Option(names = "--max-users", defaultValue = "1000000", description = "worker.limits.max-users (${DEFAULT-VALUE})")
    int maxUsers;

    @Option(names = "--max-history-bytes", defaultValue = "1073741824",
            description = "worker.limits.max-history-bytes (${DEFAULT-VALUE})")
    long maxHistoryBytes;

    @Option(names = "--max-item-table-bytes", defaultValue = "" + ItemTables.DEFAULT_BYTES,
            description = "worker.limits.max-item-table-bytes (${DEFAULT-VALUE})")
    long maxItemTableBytes;

    @Option(names = "--train", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "online training on PyTorch beside the stream (${DEFAULT-VALUE})")
    boolean train;

    public static void main(String[] args) {
        System.exit(new CommandLine(new TrainerMemoryBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        int[] lengths = Arrays.stream(SyntheticUsers.lengths(ratings)).mapToInt(SyntheticUsers.Length::events).toArray();
        SyntheticUsers.ZipfItems zipf = new SyntheticUsers.ZipfItems(items);
        Path root = Path.of(System.getProperty("stack.root", ".")).toAbsolutePath();
        System.out.printf(Locale.ROOT, "machine: %d cores, %d MiB max heap, Java %s%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.version"));
        System.out.printf(Locale.ROOT, "%,d synthetic users, history lengths of %s's %,d users x %.3f (mean %.1f "
                + "events), %,d items (Zipf); histories within %,d users and %,d bytes, item tables within %,d bytes%n",
                users, ratings, lengths.length, lengthScale, Arrays.stream(lengths).map(this::scaled).average().orElse(0),
                items, maxUsers, maxHistoryBytes, maxItemTableBytes);

        UserHistories histories = new UserHistories(200, 2000, maxUsers, 262_144, maxHistoryBytes);
        PopularityScorer popularity = new PopularityScorer(86_400_000.0 * 3650, 0);
        ItemTables tables = ItemTables.withBudget(maxItemTableBytes);
        ItemVocabulary vocabulary = new ItemVocabulary();
        AppliedEventIds eventIds = new AppliedEventIds(1_000_000, 1000, 3_600_000);
        OnlineTrainer trainer = null;
        ServingModel serving = new ServingModel();
        if (train) {
            PyTorchEngine.load(root.resolve("target/djl-cache"), 1);
            SasRecConfig config = SasRecConfig.defaults();
            SasRecModel model = SasRecModel.create(config, 2);
            trainer = new OnlineTrainer(model, vocabulary, histories, serving, OnlineTrainingConfig.defaults(),
                    TrainingListener.NONE, "bench").start();
        }
        Recommender recommender = new Recommender(histories, popularity, tables, popularity,
                FeedbackWeights.defaults(), trainer == null ? (u, i, t) -> vocabulary.add(i) : trainer,
                new ItemCatalogue());
        FeedbackAdmission admission = new FeedbackAdmission(recommender, eventIds, new ForgottenUsers(), 1_000_000);

        System.out.println("| users streamed | events | heap after GC | users held | history bytes | item tables' "
                + "entries | item tables' MiB | entries pruned | pending users | dropped unstepped | online steps "
                + "| events/s (since last) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        Random random = new Random(11);
        long events = 0;
        long lastEvents = 0;
        long applyNanos = 0;
        Map<Integer, Long> heapAt = new LinkedHashMap<>();
        for (int u = 1; u <= users; u++) {
            String user = "user-" + u;
            int n = scaled(lengths[random.nextInt(lengths.length)]);
            long t0 = System.nanoTime();
            for (int e = 0; e < n; e++) {
                String item = "item-" + zipf.draw(random);
                admission.event(new FeedbackEvent(user + "/" + e, user, item, FeedbackType.CLICK, null,
                        1_700_000_000_000L + events), false, System.currentTimeMillis(), true,
                        1_700_000_000_000L + events);
                events++;
            }
            applyNanos += System.nanoTime() - t0;
            if (u % reportEvery == 0 || u == users) {
                double rate = (events - lastEvents) / (applyNanos / 1e9);
                long heap = heapAfterGc();
                heapAt.put(u, heap);
                System.out.printf(Locale.ROOT, "| %,d | %,d | %,d MiB | %,d | %,d | %,d | %,.0f | %,d | %s | %s | %s "
                        + "| %,.0f |%n", u, events, heap >> 20, histories.users(), histories.bytes(),
                        tables.cooccurrence().entries() + tables.markov().entries(), tables.bytes() / 1048576.0,
                        tables.cooccurrence().prunedEntries() + tables.markov().prunedEntries(),
                        trainer == null ? "-" : String.format(Locale.ROOT, "%,d", trainer.pendingUsers()),
                        trainer == null ? "-" : String.format(Locale.ROOT, "%,d", trainer.pendingDropped()),
                        trainer == null ? "-" : String.format(Locale.ROOT, "%,d", trainer.steps()), rate);
                lastEvents = events;
                applyNanos = 0;
            }
        }
        if (trainer != null) {
            trainer.close();
        }
        List<Long> heaps = List.copyOf(heapAt.values());
        if (heaps.size() >= 2) {
            System.out.printf(Locale.ROOT, "%nheap after the last report against the first: %.3f%n",
                    (double) heaps.get(heaps.size() - 1) / heaps.get(0));
        }
        System.out.printf(Locale.ROOT, "item tables pruned %d times, %.1f s in all on the applying thread%n",
                tables.cooccurrence().prunings() + tables.markov().prunings(),
                (tables.cooccurrence().pruneNanos() + tables.markov().pruneNanos()) / 1e9);
        System.out.println("events/s: the applying thread's own rate (admission, histories, popularity, tables); "
                + "online training runs beside it on the other core and sheds users it cannot take (dropped).");
        return 0;
    }

    private int scaled(int length) {
        return Math.max(1, (int) Math.round(length * lengthScale));
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
