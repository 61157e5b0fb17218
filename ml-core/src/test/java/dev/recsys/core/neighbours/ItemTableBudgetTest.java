package dev.recsys.core.neighbours;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** An item table stays within its budget in bytes, and what it drops is what weighs least in a vote. */
class ItemTableBudgetTest {

    static final long BUDGET = 1 << 20;

    /** Users of Zipf-like items: pairs keep coming long after the items are all seen. */
    static void stream(ItemNeighbours table, int users, long seed, Runnable afterEach) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int u = 0; u < users; u++) {
            List<String> before = new ArrayList<>();
            for (int e = 0; e < 20; e++) {
                int item = (int) Math.floor(Math.pow(2_000, random.nextDouble()));
                String id = "i" + item;
                table.observe(before, id);
                before.add(id);
                afterEach.run();
            }
        }
    }

    @Test
    void aStreamFarPastTheBudgetNeverHoldsMoreThanIt() {
        ItemNeighbours table = new ItemNeighbours(5, false, BUDGET);
        ItemNeighbours unbounded = ItemNeighbours.cooccurrence(5);
        long[] most = { 0 };
        stream(table, 5_000, 7, () -> most[0] = Math.max(most[0], table.bytes()));
        stream(unbounded, 5_000, 7, () -> { });
        assertTrue(unbounded.bytes() > 4 * BUDGET, "the stream outgrows the budget: " + unbounded.bytes());
        assertTrue(most[0] <= BUDGET, "held " + most[0] + " bytes, budget " + BUDGET);
        assertTrue(table.prunings() > 0 && table.prunedEntries() > 0);
        assertEquals(table.recountBytes(), table.bytes(), "the running sum is what HPPC accounts");
        assertEquals(unbounded.recountBytes(), unbounded.bytes());
        assertEquals(unbounded.links(), table.links(), "every link was counted before any was dropped");
    }

    @Test
    void thePopularItemsTailGoesFirstAndARareItemsFewNeighboursStay() {
        // 40 popular items, each followed by "strong" 500 times and by 1,000 other items once; "rare" once by "x".
        ItemNeighbours unbounded = ItemNeighbours.markovChain();
        for (int h = 0; h < 40; h++) {
            for (int i = 0; i < 500; i++) {
                unbounded.observe(List.of("hub" + h), "strong");
            }
            for (int t = 0; t < 1_000; t++) {
                unbounded.observe(List.of("hub" + h), "tail" + t);
            }
        }
        unbounded.observe(List.of("rare"), "x");
        ItemNeighbours table = new ItemNeighbours(1, true, BUDGET / 2);
        table.restore(unbounded.state());
        assertTrue(table.prunings() > 0, "40,000 entries do not fit " + BUDGET / 2 + " bytes");
        for (int h = 0; h < 40; h++) {
            assertEquals(1.0, table.share("hub" + h, "strong"), 1e-9, "the strong neighbour stays, the tail goes");
            assertEquals(0, table.share("hub" + h, "tail0"));
        }
        assertEquals(1.0, table.share("rare", "x"), 1e-9, "a rare item's only neighbour is its whole row");
        assertTrue(table.bytes() <= BUDGET / 2);
        assertEquals(table.recountBytes(), table.bytes());
    }

    @Test
    void rowsLeftWithoutNeighboursCostNoMapSoAWideCatalogueStillKeepsItsHeaviestPairs() {
        // 4,000 items in 2,000 pairs: an empty HPPC map per item (149 bytes) would take 596 KB, past the budget.
        long budget = 256 << 10;
        ItemNeighbours table = new ItemNeighbours(1, true, budget);
        for (int i = 0; i < 2_000; i++) {
            for (int k = 0; k <= i % 10; k++) {
                table.observe(List.of("x" + i), "y" + i);
            }
        }
        assertTrue(table.prunedEntries() > 0, "2,000 rows of one neighbour outgrow " + budget + " bytes");
        assertTrue(table.bytes() <= budget, table.bytes() + " bytes");
        assertEquals(table.recountBytes(), table.bytes());
        assertEquals(1.0, table.share("x9", "y9"), 1e-9, "a pair seen 10 times stays");
        assertEquals(0, table.share("x10", "y10"), "a pair seen once goes");
        assertTrue(table.entries() >= 200, "the heaviest pairs are all kept: " + table.entries());
    }

    @Test
    void aCheckpointFromALargerBudgetIsPrunedOnRestore() {
        ItemNeighbours big = ItemNeighbours.cooccurrence(5);
        stream(big, 2_000, 11, () -> { });
        assertTrue(big.bytes() > BUDGET);
        ItemNeighbours small = new ItemNeighbours(5, false, BUDGET);
        small.restore(big.state());
        assertTrue(small.bytes() <= BUDGET, small.bytes() + " bytes");
        assertTrue(small.prunedEntries() > 0);
        assertEquals(small.recountBytes(), small.bytes());
        assertEquals(big.links(), small.links());
    }

    @Test
    void underItsBudgetATableIsExactlyTheUnboundedOne() {
        ItemNeighbours bounded = new ItemNeighbours(5, false, 64L << 20);
        ItemNeighbours unbounded = ItemNeighbours.cooccurrence(5);
        stream(bounded, 500, 3, () -> { });
        stream(unbounded, 500, 3, () -> { });
        assertEquals(0, bounded.prunings());
        assertEquals(unbounded.state(), bounded.state());
    }

    @Test
    void aBudgetTooSmallToHoldATableIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ItemNeighbours(5, false, 1_000));
        assertTrue(e.getMessage().contains("64 KiB"), e.getMessage());
        IllegalArgumentException total = assertThrows(IllegalArgumentException.class,
                () -> ItemTables.withBudget(300_000));
        assertTrue(total.getMessage().contains("at least 393216 bytes together"), total.getMessage());
    }

    @Test
    void theTwoTablesShareOneBudgetAsTheLinksAnEventAddsToEach() {
        ItemTables tables = ItemTables.withBudget(6L << 20);
        assertEquals(5L << 20, tables.cooccurrence().maxBytes());
        assertEquals(1L << 20, tables.markov().maxBytes());
    }
}
