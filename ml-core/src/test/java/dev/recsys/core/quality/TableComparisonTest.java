package dev.recsys.core.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The paired comparison on cases worked out by hand. */
class TableComparisonTest {

    static final double EPS = 1e-9;

    @Test
    void eachPairIsScoredByTheUsersNextPositiveItem() {
        TableComparison c = new TableComparison(10);
        // u: served ranks b second, the table first. NDCG@10 gains: 1 / log2(3) = 0.6309 and 1 / log2(2) = 1.
        c.listed("u", List.of("a", "b", "c"), List.of("b", "a", "c"));
        c.applied("u", "x", false); // not positive: the pair waits
        c.applied("u", "b", true);
        // v: the same list on both sides; the item is third: 1 / log2(4) = 0.5 each.
        c.listed("v", List.of("a", "b", "c"), List.of("a", "b", "c"));
        c.applied("v", "c", true);
        // w: the item is in neither list: a scored miss on both sides.
        c.listed("w", List.of("a"), List.of("b"));
        c.applied("w", "z", true);
        c.applied("w", "a", true); // the pair was scored already: nothing more

        TableComparison.Totals t = c.totals();
        assertEquals(3, t.outcomes());
        assertEquals(2, t.differing(), "u's and w's lists differ, v's do not");
        assertEquals(1 / (Math.log(3) / Math.log(2)) + 0.5, t.servedGain(), EPS);
        assertEquals(1 + 0.5, t.tableGain(), EPS);
        assertEquals((0.6309297535714574 + 0.5) / 3, t.servedNdcg10(), EPS);
        assertEquals(1.5 / 3, t.tableNdcg10(), EPS);
        // Differences -0.3691, 0, 0: mean -0.1230, sample variance (0.3691^2 - 3 * 0.1230^2) / 2 = 0.04541,
        // standard error sqrt(0.04541 / 3) = 0.1230.
        double d = 0.6309297535714574 - 1;
        assertEquals(d * d, t.differenceSquares(), EPS);
        double mean = d / 3;
        assertEquals(Math.sqrt((d * d - 3 * mean * mean) / 2 / 3), t.differenceStandardError(), EPS);
        assertEquals(0.1230, t.differenceStandardError(), 1e-4);
    }

    @Test
    void onlyTheFirstTenCountAndANewListReplacesAnUnscoredOne() {
        TableComparison c = new TableComparison(10);
        List<String> eleven = List.of("i0", "i1", "i2", "i3", "i4", "i5", "i6", "i7", "i8", "i9", "i10");
        c.listed("u", eleven, eleven);
        c.applied("u", "i10", true); // eleventh: past the top 10 on both sides
        c.listed("u", List.of("a"), List.of("b"));
        c.listed("u", List.of("b"), List.of("a")); // replaces the pair before it
        c.applied("u", "b", true);
        TableComparison.Totals t = c.totals();
        assertEquals(2, t.outcomes());
        assertEquals(1.0, t.servedGain(), EPS);
        assertEquals(0.0, t.tableGain(), EPS);
    }

    @Test
    void theLeastRecentlyServedUserIsForgottenPastTheBound() {
        TableComparison c = new TableComparison(2);
        c.listed("a", List.of("x"), List.of("x"));
        c.listed("b", List.of("x"), List.of("x"));
        c.listed("c", List.of("x"), List.of("x")); // a is forgotten
        for (String user : List.of("a", "b", "c")) {
            c.applied(user, "x", true);
        }
        assertEquals(2, c.totals().outcomes());
        assertEquals(Double.NaN, new TableComparison(1).totals().servedNdcg10());
    }
}
