package dev.recsys.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class UserHistoryTest {

    @Test
    void keepsTheLastItemsInOrderAndForgetsTheLeastRecentlySeen() {
        UserHistory h = new UserHistory(3, 2);
        for (String item : List.of("a", "b", "c", "a", "d")) {
            h.append(item);
        }
        UserHistory.Snapshot s = h.snapshot();
        assertEquals(List.of("c", "a", "d"), s.sequence());
        assertEquals(Set.of("a", "d"), s.seen());
        assertEquals(5, s.events());
    }

    @Test
    void reSeeingAnItemProtectsItFromEviction() {
        UserHistory h = new UserHistory(10, 2);
        h.append("a");
        h.append("b");
        h.append("a");
        h.append("c");
        assertEquals(Set.of("a", "c"), h.snapshot().seen());
    }

    @Test
    void historiesShareOneCopyOfAnIdAndADroppedOneGivesItsNumbersBack() {
        UserHistories histories = new UserHistories(10, 10);
        histories.append("alice", "m1");
        histories.append("bob", "m1");
        histories.of("bob").reject("m2");
        assertEquals(2, histories.distinctItems());

        histories.remove("bob");
        assertEquals(1, histories.distinctItems(), "m2 was bob's alone");
        histories.of("bob").append("m3");
        assertEquals(List.of("m1"), histories.snapshot("alice").sequence());
        assertEquals(List.of("m3"), histories.snapshot("bob").sequence());
    }

    @Test
    void aDroppedHistoryIgnoresAWriterThatStillHoldsIt() {
        UserHistories histories = new UserHistories(10, 10);
        UserHistory held = histories.of("alice");
        held.append("m1");
        histories.remove("alice");
        held.append("m2");
        assertEquals(0, histories.distinctItems());
        assertEquals(0, histories.bytes());
    }

    @Test
    void unknownUserHasEmptyHistory() {
        assertEquals(UserHistory.Snapshot.EMPTY, new UserHistories(5, 5).snapshot("nobody"));
    }
}
