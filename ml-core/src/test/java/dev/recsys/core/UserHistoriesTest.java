package dev.recsys.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class UserHistoriesTest {

    @Test
    void pastTheCapTheLeastRecentlyActiveUserIsForgotten() {
        UserHistories h = new UserHistories(10, 10, 3);
        h.append("a", "i1");
        h.append("b", "i1");
        h.append("c", "i1");
        h.append("a", "i2"); // a is active again: b is now the least recent
        h.append("d", "i1");
        assertEquals(Set.of("a", "c", "d"), h.state().keySet());
        assertEquals(1, h.evicted());
        assertEquals(List.of("i1", "i2"), h.snapshot("a").sequence());
        assertTrue(h.snapshot("b").sequence().isEmpty());
    }

    @Test
    void aRestoreBeyondTheCapKeepsTheMostActiveUsers() {
        UserHistories full = new UserHistories(10, 10);
        full.append("busy", "i1");
        full.append("busy", "i2");
        full.append("quiet", "i1");
        UserHistories capped = new UserHistories(10, 10, 1);
        capped.restore(full.state());
        assertEquals(Set.of("busy"), capped.state().keySet());
    }

    @Test
    void aShardTakesUpAndHandsOverSomeUsersAndKeepsTheOthers() {
        UserHistories checkpoint = new UserHistories(10, 10);
        checkpoint.append("a", "i1");
        checkpoint.append("b", "i2");
        UserHistories shard = new UserHistories(10, 10);
        shard.append("c", "i3");
        shard.append("a", "stale");

        shard.restoreUsers(java.util.Map.of("a", checkpoint.state().get("a")));
        assertEquals(List.of("i1"), shard.snapshot("a").sequence(), "the checkpoint's history replaces what was held");
        assertEquals(List.of("i3"), shard.snapshot("c").sequence());

        assertEquals(List.of("c"), shard.removeUsers(u -> u.equals("c") || u.equals("b")));
        assertEquals(Set.of("a"), shard.state().keySet());
    }
}
