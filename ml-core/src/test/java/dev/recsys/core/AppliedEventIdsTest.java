package dev.recsys.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class AppliedEventIdsTest {

    @Test
    void anIdIsScopedToItsUser() {
        AppliedEventIds ids = new AppliedEventIds(100, 60_000);
        ids.remember("u1", "e1", 0);
        assertTrue(ids.contains("u1", "e1"));
        assertFalse(ids.contains("u2", "e1"), "another user's event with the same id is not a duplicate");
        // The user's length is part of the digest: the same concatenation is a different pair.
        ids.remember("ab", "c", 0);
        assertFalse(ids.contains("a", "bc"));
    }

    @Test
    void theStateOfSomeUsersHoldsTheirPairsOnlyInOrder() {
        AppliedEventIds ids = new AppliedEventIds(100, 60_000);
        ids.remember("u1", "e1", 1);
        ids.remember("u2", "e1", 2);
        ids.remember("u1", "e2", 3);
        ids.remember("u3", "e9", 4);
        AppliedEventIds part = new AppliedEventIds(100, 60_000);
        part.restore(ids.stateOf(List.of("u1", "u3", "absent")));
        assertEquals(3, part.size());
        assertTrue(part.contains("u1", "e1") && part.contains("u1", "e2") && part.contains("u3", "e9"));
        assertFalse(part.contains("u2", "e1"), "another user's pair is left out");
        assertEquals(1, ids.stateOf(List.of("u1", "u3")).at()[0], "oldest first");
        assertEquals(0, ids.stateOf(List.of()).size());
    }

    @Test
    void forgetsTheOldestPastTheCountAndWhatOutlivedTheRetention() {
        AppliedEventIds ids = new AppliedEventIds(3, 1_000);
        ids.remember("u", "a", 0);
        ids.remember("u", "b", 10);
        ids.remember("u", "c", 20);
        ids.remember("u", "d", 30);
        assertFalse(ids.contains("u", "a"), "past the count, the oldest goes");
        assertTrue(ids.contains("u", "b"));
        ids.remember("u", "e", 1_015);
        assertFalse(ids.contains("u", "b"), "applied more than the retention ago");
        assertTrue(ids.contains("u", "c"));
        assertEquals(3, ids.size());
    }

    @Test
    void aCheckpointedStateRestoresTheSameAnswers() {
        AppliedEventIds ids = new AppliedEventIds(1_000, 60_000);
        for (int i = 0; i < 700; i++) {
            ids.remember("u" + (i % 13), "e" + i, i);
        }
        AppliedEventIds restored = new AppliedEventIds(1_000, 60_000);
        restored.restore(ids.state());
        assertEquals(ids.state(), restored.state());
        for (int i = 0; i < 700; i++) {
            assertTrue(restored.contains("u" + (i % 13), "e" + i));
        }
        // A smaller bound keeps the newest.
        AppliedEventIds smaller = new AppliedEventIds(100, 60_000);
        smaller.restore(ids.state());
        assertTrue(smaller.contains("u" + (699 % 13), "e699"));
        assertFalse(smaller.contains("u" + (599 % 13), "e599"));
        assertEquals(100, smaller.size());
    }

    /**
     * Random traffic, with users forgotten now and then and restores from checkpoints, against a plain map that
     * keeps the same bounds the slow way: the newest {@code max} pairs younger than the retention, at most
     * {@code share} of them a user's.
     */
    @Test
    void agreesWithAReferenceOnRandomTraffic() {
        for (long seed = 1; seed <= 40; seed++) {
            Random random = new Random(seed);
            int max = 1 + random.nextInt(50);
            int share = 1 + random.nextInt(max + 5);
            long retention = 1 + random.nextInt(200);
            AppliedEventIds ids = new AppliedEventIds(max, share, retention);
            Map<String, Long> reference = new LinkedHashMap<>();
            long now = 0;
            for (int step = 0; step < 3_000; step++) {
                now += random.nextInt(5);
                String user = "u" + random.nextInt(random.nextBoolean() ? 2 : 6);
                String event = "e" + random.nextInt(80);
                String key = user + "/" + event;
                assertEquals(reference.containsKey(key), ids.contains(user, event), "seed " + seed + " step " + step);
                if (!reference.containsKey(key)) {
                    long cutoff = now - retention;
                    reference.values().removeIf(t -> t < cutoff);
                    List<String> theirs = reference.keySet().stream().filter(k -> k.startsWith(user + "/")).toList();
                    if (theirs.size() >= Math.min(share, max)) {
                        reference.remove(theirs.get(0));
                    }
                    if (reference.size() == max) {
                        reference.remove(reference.keySet().iterator().next());
                    }
                    reference.put(key, now);
                    ids.remember(user, event, now);
                }
                if (random.nextInt(300) == 0) {
                    String forgotten = "u" + random.nextInt(6);
                    int before = reference.size();
                    reference.keySet().removeIf(k -> k.startsWith(forgotten + "/"));
                    assertEquals(before - reference.size(), ids.forget(forgotten), "seed " + seed + " step " + step);
                }
                if (random.nextInt(500) == 0) {
                    AppliedEventIds restored = new AppliedEventIds(max, share, retention);
                    restored.restore(ids.state());
                    ids = restored;
                }
                assertEquals(reference.size(), ids.size(), "seed " + seed + " step " + step);
            }
        }
    }

    @Test
    void oneUsersFloodKeepsWithinTheirShareAndEvictsNoOneElse() {
        AppliedEventIds ids = new AppliedEventIds(1_000, 100, 3_600_000);
        for (int i = 0; i < 500; i++) {
            ids.remember("user-" + i, "e1", i);
        }
        for (int i = 0; i < 100_000; i++) {
            ids.remember("flooder", "e" + i, 1_000 + i);
        }
        for (int i = 0; i < 500; i++) {
            assertTrue(ids.contains("user-" + i, "e1"), "user-" + i + "'s id survived the flood");
        }
        assertEquals(600, ids.size());
        assertTrue(ids.contains("flooder", "e99999") && !ids.contains("flooder", "e99899"));
        assertEquals(99_900, ids.evictedByShare());
    }

    @Test
    void aMillionIdsFitAndStayFindable() {
        AppliedEventIds ids = new AppliedEventIds(1_000_000, Long.MAX_VALUE / 2);
        List<String> sample = new ArrayList<>();
        for (int i = 0; i < 1_000_000; i++) {
            String id = "event-" + i;
            ids.remember("user-" + (i % 997), id, i);
            if (i % 10_000 == 0) {
                sample.add(i + ":" + id);
            }
        }
        for (String s : sample) {
            int i = Integer.parseInt(s.substring(0, s.indexOf(':')));
            assertTrue(ids.contains("user-" + (i % 997), s.substring(s.indexOf(':') + 1)));
        }
        assertEquals(1_000_000, ids.size());
    }
}
