package dev.recsys.eval.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import dev.recsys.core.FeedbackListener;
import dev.recsys.core.FeedbackWeights;
import dev.recsys.core.ItemCatalogue;
import dev.recsys.core.ItemNumbers;
import dev.recsys.core.PopularityScorer;
import dev.recsys.core.UserHistories;
import dev.recsys.core.neighbours.ItemTables;
import dev.recsys.core.recommender.Recommender;
import dev.recsys.eval.Dataset;
import dev.recsys.wire.FeedbackEvent;
import dev.recsys.wire.FeedbackType;

/**
 * {@code bin/bench-shard-sizing}: how much heap a serving shard's state takes per user and per item, measured
 * in this process with the worker's own structures (histories, popularity, the co-occurrence and Markov
 * tables) filled from a ratings file, and a sizing table derived from those figures. The heap is read after
 * full collections, before and after each part is dropped; model rows are counted from the model's shape.
 */
@Command(name = "bench-shard-sizing", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Heap per user and per item of a shard's state, and the shards needed for a target size.")
public final class ShardSizing implements Callable<Integer> {

    @Option(names = "--ratings", required = true, description = "MovieLens ratings.csv (or user item [timestamp] lines)")
    Path ratings;

    @Option(names = "--dim", defaultValue = "64", description = "the model's embedding size (${DEFAULT-VALUE})")
    int dim;

    @Option(names = "--history", defaultValue = "200", description = "worker.history.max-length (${DEFAULT-VALUE})")
    int maxLength;

    @Option(names = "--seen", defaultValue = "2000", description = "worker.history.max-seen (${DEFAULT-VALUE})")
    int maxSeen;

    @Option(names = "--target-users", defaultValue = "100000000", description = "(${DEFAULT-VALUE})")
    long targetUsers;

    @Option(names = "--target-items", defaultValue = "1000000", description = "(${DEFAULT-VALUE})")
    long targetItems;

    @Option(names = "--shard-heap-gb", defaultValue = "48", description = "heap a shard may give its state "
            + "(${DEFAULT-VALUE})")
    double shardHeapGb;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ShardSizing()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<Dataset.Interaction> events = Dataset.interactions(ratings);
        long base = heap();
        UserHistories histories = new UserHistories(maxLength, maxSeen);
        PopularityScorer popularity = new PopularityScorer(7L * 24 * 3600 * 1000, 1_000_000_000L);
        ItemTables tables = ItemTables.standard();
        Map<FeedbackType, Double> weights = new EnumMap<>(FeedbackType.class);
        weights.put(FeedbackType.RATING, 2.0);
        Recommender state = new Recommender(histories, popularity, tables, popularity,
                new FeedbackWeights(weights, 3.5), FeedbackListener.NONE, new ItemCatalogue());
        long t0 = System.nanoTime();
        int n = 0;
        for (Dataset.Interaction e : events) {
            state.apply(new FeedbackEvent("e" + n++, e.user(), e.item(), FeedbackType.RATING,
                    Double.isNaN(e.rating()) ? 5.0 : e.rating(), e.timestamp() * 1000), e.timestamp() * 1000);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long full = heap();
        int users = histories.users();
        histories.removeUsers(u -> true);
        long withoutUsers = heap();
        List<String> itemIds = events.stream().map(Dataset.Interaction::item).distinct().toList();
        long items = itemIds.size();
        Numbering numbering = Numbering.measure(itemIds);
        // Dropping the users also emptied their shared item numbering; that part is per item, not per user.
        double perUser = (double) (full - withoutUsers - numbering.freed()) / users;
        double perItemNumbering = (double) numbering.total() / items;
        double perItemTables = (double) (withoutUsers - base) / items;
        double perItemModelShard = dim * 4.0; // one float row per item in the served weights
        double perItemModelTrainer = dim * 4.0 * 3; // weights and Adam's two moments
        if (state.items() < 0) {
            throw new IllegalStateException("unreachable: keeps the state alive until measured");
        }

        System.out.println("machine: " + Machine.describe());
        System.out.printf("data: %s, %,d events, %,d users, %,d items; applied in %.2f s (%,.0f events/s on one "
                + "thread: the state updates a feedback consumer makes, no Kafka)%n", ratings, events.size(), users,
                items, seconds, events.size() / seconds);
        System.out.println();
        System.out.println("| state | bytes | measured how |");
        System.out.println("|---|---|---|");
        System.out.printf("| per user (history of up to %d items, %d seen) | %,.0f | heap after GC, with and without "
                + "the histories |%n", maxLength, maxSeen, perUser);
        System.out.printf("| per item: the histories' item numbering (each id once) | %,.0f | heap after GC, a "
                + "numbering holding every id against none |%n", perItemNumbering);
        System.out.printf("| per item: popularity, co-occurrence and Markov tables | %,.0f | heap after GC, tables "
                + "against none |%n", perItemTables);
        System.out.printf("| per item: model rows, dim %d (shard: weights) | %,.0f | from the shape |%n", dim,
                perItemModelShard);
        System.out.printf("| per item: model rows, dim %d (trainer: weights + Adam moments) | %,.0f | from the "
                + "shape |%n", dim, perItemModelTrainer);
        System.out.println();
        double usersGb = perUser * targetUsers / 1e9;
        double itemsShardGb = (perItemNumbering + perItemTables + perItemModelShard) * targetItems / 1e9;
        double itemsTrainerGb = (perItemNumbering + perItemTables + perItemModelTrainer) * targetItems / 1e9;
        System.out.printf("Sizing for %,d users and %,d items (every user at this data set's mean history; "
                + "co-occurrence rows as dense as here):%n%n", targetUsers, targetItems);
        System.out.println("| shards | users per shard | heap per shard for users GB | + items (every shard) GB "
                + "| total per shard GB | fits in " + shardHeapGb + " GB |");
        System.out.println("|---|---|---|---|---|---|");
        for (int shards : new int[] { 1, 4, 16, 32, 64, 128 }) {
            double perShard = usersGb / shards;
            double total = perShard + itemsShardGb;
            System.out.printf("| %d | %,d | %.1f | %.1f | %.1f | %s |%n", shards, targetUsers / shards, perShard,
                    itemsShardGb, total, total <= shardHeapGb ? "yes" : "no");
        }
        System.out.printf("%nThe trainer holds every user's history (for training) and the item side with Adam's "
                + "moments: %.1f GB + %.1f GB = %.1f GB; it must absorb the whole feedback stream (the shards "
                + "each absorb 1/N of it).%n", usersGb, itemsTrainerGb, usersGb + itemsTrainerGb);
        return 0;
    }

    /**
     * What an {@link ItemNumbers} holding every id once costs: in all, and the part its last releases free
     * (what dropping every user takes off with them).
     */
    record Numbering(long total, long freed) {

        static Numbering measure(List<String> ids) throws InterruptedException {
            long before = heap();
            ItemNumbers numbering = new ItemNumbers();
            int[] numbers = ids.stream().mapToInt(numbering::acquire).toArray();
            long held = heap();
            for (int n : numbers) {
                numbering.release(n);
            }
            long released = heap();
            if (numbering.size() != 0) {
                throw new IllegalStateException("unreachable: keeps the numbering alive until measured");
            }
            return new Numbering(held - before, held - released);
        }
    }

    /** Heap in use after full collections, settled. */
    private static long heap() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
