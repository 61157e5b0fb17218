package dev.recsys.core.sasrec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class TrainingWindowsTest {

    private static final List<int[]> SEQUENCES = List.of(new int[] { 1, 2, 3, 4, 5, 6, 7 }, new int[] { 8 },
            new int[] { 9, 10 });

    @Test
    void allCutsALongHistoryIntoWindowsThatShareOneItem() {
        List<int[]> all = TrainingWindows.ALL.of(SEQUENCES, 3);
        assertEquals(3, all.size(), "two windows sharing one item, the one-item history dropped, one short");
        assertArrayEquals(new int[] { 4, 5, 6, 7 }, all.get(0));
        assertArrayEquals(new int[] { 1, 2, 3, 4 }, all.get(1));
        assertArrayEquals(new int[] { 9, 10 }, all.get(2));
    }

    @Test
    void newestKeepsOnlyEachHistorysNewestWindow() {
        List<int[]> newest = TrainingWindows.NEWEST.of(SEQUENCES, 3);
        assertEquals(2, newest.size());
        assertArrayEquals(new int[] { 4, 5, 6, 7 }, newest.get(0));
        assertArrayEquals(new int[] { 9, 10 }, newest.get(1));
    }

    @Test
    void everyTransitionIsTrainedExactlyOnce() {
        int[] history = new int[1_000];
        for (int i = 0; i < history.length; i++) {
            history[i] = i + 1;
        }
        int transitions = 0;
        int expectedTarget = history.length;
        for (int[] w : TrainingWindows.ALL.of(List.of(history), 200)) {
            transitions += w.length - 1;
            assertEquals(expectedTarget, w[w.length - 1], "windows run back from the newest without a gap");
            expectedTarget = w[0];
        }
        assertEquals(history.length - 1, transitions);
    }

    @Test
    void parsesTheCommandLineNamesAndRefusesOthers() {
        assertEquals(TrainingWindows.ALL, TrainingWindows.parse("all"));
        assertEquals(TrainingWindows.NEWEST, TrainingWindows.parse("newest"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingWindows.parse("ALL"));
        assertEquals("training windows must be newest or all, not ALL", e.getMessage());
    }
}
