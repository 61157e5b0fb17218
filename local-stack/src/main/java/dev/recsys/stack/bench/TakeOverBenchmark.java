package dev.recsys.stack.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Predicate;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.recsys.core.AppliedEventIds;
import dev.recsys.core.PopularityScorer;
import dev.recsys.core.UserHistories;
import dev.recsys.core.UserHistory;
import dev.recsys.core.checkpoint.CheckpointImage;
import dev.recsys.core.checkpoint.CheckpointImageCodec;
import dev.recsys.core.neighbours.ItemTables;
import dev.recsys.core.sasrec.SasRecConfig;
import dev.recsys.core.sasrec.SasRecModel;
import dev.recsys.stack.Folders;
import dev.recsys.stack.ShardHealth;
import dev.recsys.store.CheckpointStore;
import dev.recsys.store.FileBlobStore;
import dev.recsys.store.Manifest;

/**
 * {@code bin/bench-take-over}: what a serving shard's take-over of one feedback partition costs as users grow,
 * the part of a handover that grows with them (the rest, catching up on the log since the checkpoint, grows
 * with the time since it). Synthetic users ({@code --users}, history lengths drawn from a ratings file's
 * users, items Zipf-distributed over {@code --items}) and a model of that many item rows with its Adam state
 * go into one checkpoint split by partition, on disk; then the take-over is timed as {@code ShardOwnership}
 * does it (the store reads the partition's part and the item part, the codec decodes them, the partition's
 * users are kept and restored into histories), beside reading the whole checkpoint as take-overs did before
 * the split.
 */
@Command(name = "bench-take-over", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Bytes read and time of a shard's take-over of one partition, against users held.")
public final class TakeOverBenchmark implements Callable<Integer> {

    @Option(names = "--ratings", required = true, description = "a ratings file whose users' history lengths "
            + "the synthetic users take (MovieLens ratings.csv)")
    Path ratings;

    @Option(names = "--users", defaultValue = "1000000", description = "(${DEFAULT-VALUE})")
    int users;

    @Option(names = "--items", defaultValue = "100000", description = "(${DEFAULT-VALUE})")
    int items;

    @Option(names = "--partitions", defaultValue = "6", description = "feedback partitions (${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--runs", defaultValue = "3", description = "take-overs timed (${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--whole", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "also time reading the whole checkpoint, as before the split (${DEFAULT-VALUE})")
    boolean whole;

    @Option(names = "--dir", defaultValue = ".run/bench-take-over", description = "(${DEFAULT-VALUE})")
    Path dir;

    @Option(names = "--history", defaultValue = "200", description = "worker.history.max-length (${DEFAULT-VALUE})")
    int maxLength;

    @Option(names = "--seen", defaultValue = "2000", description = "worker.history.max-seen (${DEFAULT-VALUE})")
    int maxSeen;

    public static void main(String[] args) {
        System.exit(new CommandLine(new TakeOverBenchmark()).execute(args));
    }

    /** One timed read: bytes the store read, users restored, seconds. */
    private record Read(long bytes, int users, double seconds) {
    }

    @Override
    public Integer call() throws Exception {
        SyntheticUsers.Length[] lengths = SyntheticUsers.lengths(ratings);
        System.out.printf(Locale.ROOT, "machine: %d cores, %d MiB max heap, Java %s%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.version"));
        System.out.printf(Locale.ROOT, "%,d synthetic users (history lengths of %s's %,d users), %,d items "
                + "(Zipf), %d partitions%n", users, ratings, lengths.length, items, partitions);
        long t0 = System.nanoTime();
        CheckpointImage state = state(lengths);
        System.out.printf(Locale.ROOT, "state built in %.1f s%n", (System.nanoTime() - t0) / 1e9);

        Folders.deleteTree(dir);
        CheckpointStore written = new CheckpointStore(new FileBlobStore(dir), 1);
        t0 = System.nanoTime();
        CheckpointImageCodec.Encoded encoded = CheckpointImageCodec.encode(state,
                new CheckpointImageCodec.Split(partitions, u -> ShardHealth.partitionOf(u, partitions)));
        state = null; // the take-overs below hold what they read, not this
        Manifest manifest = written.write(encoded.blobs(), encoded.metadata());
        encoded = null;
        double writeSeconds = (System.nanoTime() - t0) / 1e9;
        long itemBytes = 0;
        long userBytes = 0;
        for (Manifest.Entry e : manifest.blobs()) {
            if (CheckpointImageCodec.isHistories(e.name())) {
                userBytes += e.size();
            } else {
                itemBytes += e.size();
            }
        }
        System.out.printf(Locale.ROOT, "checkpoint encoded and written in %.1f s: item part %,d bytes, users' parts "
                + "%,d bytes in all%n%n", writeSeconds, itemBytes, userBytes);

        List<Read> takeOvers = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            int p = r % partitions;
            takeOvers.add(read(m -> CheckpointImageCodec.partitionsAndItems(m.metadata(), Set.of(p),
                    partitions), p));
        }
        Read wholeRead = whole ? read(m -> blob -> true, 0) : null;

        System.out.println("| take-over of one partition | bytes read | share of the checkpoint | users restored "
                + "| time median | time max |");
        System.out.println("|---|---|---|---|---|---|");
        row("its part and the item part (now)", takeOvers, itemBytes + userBytes);
        if (wholeRead != null) {
            row("the whole checkpoint (before the split)", List.of(wholeRead), itemBytes + userBytes);
        }
        double userShare = (double) (takeOvers.get(0).bytes() - itemBytes) / userBytes;
        System.out.printf(Locale.ROOT, "%nusers' state read by a take-over: %.3f of it (1/%d = %.3f)%n", userShare,
                partitions, 1.0 / partitions);
        System.out.println("(the file store's reads come from the page cache: the checkpoint was just written)");
        return 0;
    }

    /** A take-over as {@code ShardOwnership} makes it: read, decode, keep the partition's users, restore. */
    private Read read(Function<Manifest, Predicate<String>> select, int partition) {
        CheckpointStore store = new CheckpointStore(new FileBlobStore(dir), 1);
        System.gc();
        long t0 = System.nanoTime();
        CheckpointImage image = store.loadLatest(select,
                c -> CheckpointImageCodec.decode(c.blobs(), c.manifest().metadata())).orElseThrow();
        Map<String, UserHistory.Image> mine = new TreeMap<>();
        image.histories().forEach((user, history) -> {
            if (ShardHealth.partitionOf(user, partitions) == partition) {
                mine.put(user, history);
            }
        });
        UserHistories histories = new UserHistories(maxLength, maxSeen);
        histories.restoreUsers(mine);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Read(store.bytesRead(), histories.users(), seconds);
    }

    private static void row(String what, List<Read> reads, long checkpointBytes) {
        double[] seconds = reads.stream().mapToDouble(Read::seconds).sorted().toArray();
        Read first = reads.get(0);
        System.out.printf(Locale.ROOT, "| %s | %,d | %.3f | %,d | %.2f s | %.2f s |%n", what, first.bytes(),
                (double) first.bytes() / checkpointBytes, first.users(), seconds[seconds.length / 2],
                seconds[seconds.length - 1]);
    }

    /** Users' histories as a worker's checkpoint keeps them, the item tables empty, and a model of every item. */
    private CheckpointImage state(SyntheticUsers.Length[] lengths) {
        Random random = new Random(7);
        List<String> vocabulary = new ArrayList<>(items);
        for (int i = 0; i < items; i++) {
            vocabulary.add("item-" + i);
        }
        SyntheticUsers.ZipfItems zipf = new SyntheticUsers.ZipfItems(items);
        SortedMap<String, UserHistory.Image> histories = new TreeMap<>();
        for (int u = 0; u < users; u++) {
            SyntheticUsers.Length n = lengths[random.nextInt(lengths.length)];
            List<String> seen = new ArrayList<>();
            List<String> sequence = new ArrayList<>();
            java.util.HashSet<String> distinct = new java.util.HashSet<>();
            for (int e = 0; e < n.events(); e++) {
                String item = vocabulary.get(zipf.draw(random));
                if (distinct.add(item)) {
                    seen.add(item);
                    if (random.nextInt(n.events()) < n.positives()) {
                        sequence.add(item);
                    }
                }
            }
            histories.put("user-" + u, new UserHistory.Image(
                    List.copyOf(sequence.subList(Math.max(0, sequence.size() - maxLength), sequence.size())),
                    List.copyOf(seen.subList(Math.max(0, seen.size() - maxSeen), seen.size())), List.of(), n.events()));
        }
        SasRecConfig config = SasRecConfig.defaults();
        CheckpointImage.ModelState model = CheckpointBenchmark.withMoments(config,
                SasRecModel.initialWeights(config, items + 1), items + 1);
        Map<Integer, Long> offsets = new TreeMap<>();
        for (int p = 0; p < partitions; p++) {
            offsets.put(p, 1_000_000L);
        }
        // The item tables empty: they grow with items and their pairs, not with users.
        return new CheckpointImage(vocabulary, histories, new PopularityScorer(86_400_000.0, 0).state(), offsets,
                users, Optional.of(model), ItemTables.standard().state(), AppliedEventIds.Image.EMPTY);
    }
}
