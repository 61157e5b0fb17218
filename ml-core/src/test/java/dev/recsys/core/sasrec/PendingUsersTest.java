package dev.recsys.core.sasrec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.recsys.core.IdBytes;

class PendingUsersTest {

    @Test
    void pastItsUserBoundTheUserWaitingLongestIsDroppedAndCounted() throws Exception {
        PendingUsers pending = new PendingUsers(3, Long.MAX_VALUE);
        for (int u = 0; u < 5; u++) {
            pending.add("u" + u, 100 + u);
        }
        pending.add("u4", 200); // a user already waiting keeps their place
        assertEquals(3, pending.size());
        assertEquals(2, pending.dropped());
        Map<String, List<Long>> taken = pending.take(10, 0, () -> false);
        assertEquals(List.of("u2", "u3", "u4"), List.copyOf(taken.keySet()), "the freshest kept, oldest first");
        assertEquals(List.of(104L, 200L), taken.get("u4"));
        assertEquals(0, pending.bytes(), "nothing held once taken");
    }

    @Test
    void itsByteBoundCountsIdsAndTimes() throws Exception {
        long oneUser = IdBytes.of("a") + PendingUsers.BYTES_PER_TIME;
        PendingUsers pending = new PendingUsers(1000, 2 * oneUser);
        pending.add("a", 1);
        pending.add("b", 2);
        assertEquals(2 * oneUser, pending.bytes());
        assertEquals(0, pending.dropped());
        pending.add("b", 3); // one more time of b's: past the bound, a (waiting longest) goes
        assertEquals(1, pending.size());
        assertEquals(1, pending.dropped());
        assertEquals(IdBytes.of("b") + 2 * PendingUsers.BYTES_PER_TIME, pending.bytes());
        pending.remove("b");
        assertEquals(0, pending.bytes());
        assertTrue(pending.idle());
    }

    @Test
    void aMillionDistinctUsersHoldNoMoreThanTheBounds() {
        PendingUsers pending = new PendingUsers(OnlineTrainingConfig.DEFAULT_MAX_PENDING_USERS,
                OnlineTrainingConfig.DEFAULT_MAX_PENDING_BYTES);
        for (int u = 0; u < 1_000_000; u++) {
            pending.add("user-" + u, u);
        }
        assertEquals(OnlineTrainingConfig.DEFAULT_MAX_PENDING_USERS, pending.size());
        assertTrue(pending.bytes() <= OnlineTrainingConfig.DEFAULT_MAX_PENDING_BYTES);
        assertEquals(1_000_000 - OnlineTrainingConfig.DEFAULT_MAX_PENDING_USERS, pending.dropped());
    }
}
