package dev.recsys.eval;

import java.util.Random;

import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.PopularityScorer;
import dev.recsys.core.UserHistories;
import dev.recsys.core.neighbours.ItemTables;

/**
 * Measures what the worker's per-user and per-item state costs in heap: 500,000 users with 10 positive
 * events each over 100,000 items, applied the way the worker applies them (history, popularity, item
 * tables, vocabulary), heap measured after full collections. Prints bytes per user and per item, for the
 * caps in docs/topics.md. No arguments: the figures are for this fixed, realistic shape.
 */
public final class StateFootprint {

    private static final int USERS = 500_000;
    private static final int ITEMS = 100_000;
    private static final int EVENTS_PER_USER = 10;

    private StateFootprint() {
    }

    public static void main(String[] args) {
        long base = usedHeap();
        ItemVocabulary vocabulary = new ItemVocabulary();
        PopularityScorer popularity = new PopularityScorer(7 * 86_400_000.0, 0);
        ItemTables tables = ItemTables.standard();
        for (int i = 0; i < ITEMS; i++) {
            vocabulary.add("item-" + i);
            popularity.record("item-" + i, 1, i);
        }
        long items = usedHeap() - base;
        UserHistories histories = new UserHistories(200, 2000);
        Random random = new Random(1);
        long t = ITEMS;
        for (int u = 0; u < USERS; u++) {
            String user = "user-" + u;
            for (int e = 0; e < EVENTS_PER_USER; e++) {
                // Zipf-like: a few popular items and a long tail, as in real feedback.
                String item = "item-" + (int) (ITEMS * Math.pow(random.nextDouble(), 3));
                histories.append(user, item);
                popularity.record(item, 1, t++);
            }
        }
        long withUsers = usedHeap() - base - items;
        for (int u = 0; u < USERS; u++) {
            java.util.List<String> sequence = histories.snapshot("user-" + u).sequence();
            for (int i = 1; i < sequence.size(); i++) {
                tables.observe(sequence.subList(0, i), sequence.get(i));
            }
        }
        long withTables = usedHeap() - base - items - withUsers;
        System.out.printf("| state | count | heap | per unit |%n|---|---|---|---|%n");
        System.out.printf("| items (vocabulary row, popularity) | %,d | %,d MB | %,d B/item |%n", ITEMS, items >> 20,
                items / ITEMS);
        System.out.printf("| users (history of %d events) | %,d | %,d MB | %,d B/user |%n", EVENTS_PER_USER, USERS,
                withUsers >> 20, withUsers / USERS);
        System.out.printf("| item tables (co-occurrence + Markov) from those histories | %,d links | %,d MB | %,d B/user |%n",
                tables.cooccurrence().links(), withTables >> 20, withTables / USERS);
        System.out.printf("(Java %s, %s, max heap %,d MB)%n", System.getProperty("java.version"),
                System.getProperty("os.arch"), Runtime.getRuntime().maxMemory() >> 20);
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        return r.totalMemory() - r.freeMemory();
    }
}
