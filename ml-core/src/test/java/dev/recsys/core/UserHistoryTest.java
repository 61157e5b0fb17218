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
    void unknownUserHasEmptyHistory() {
        assertEquals(UserHistory.Snapshot.EMPTY, new UserHistories(5, 5).snapshot("nobody"));
    }
}
