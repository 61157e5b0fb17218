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
     * Random traffic, with users forgotten now and then, against a plain map that keeps the same bounds the
     * slow way (a forgotten pair keeps its place, unfindable, until the oldest-first expiry passes it).
     */
    @Test
    void agreesWithAReferenceOnRandomTraffic() {
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            int max = 1 + random.nextInt(50);
            long retention = 1 + random.nextInt(200);
            AppliedEventIds ids = new AppliedEventIds(max, retention);
            Map<String, Long> reference = new LinkedHashMap<>();
            long now = 0;
            int dropped = 0;
            for (int step = 0; step < 2_000; step++) {
                now += random.nextInt(5);
                String user = "u" + random.nextInt(5);
                String event = "e" + random.nextInt(80);
                String key = user + "/" + event;
                assertEquals(reference.containsKey(key), ids.contains(user, event), "seed " + seed + " step " + step);
                if (!reference.containsKey(key)) {
                    long cutoff = now - retention;
                    var oldest = reference.entrySet().iterator();
                    while (oldest.hasNext() && oldest.next().getValue() < cutoff) {
                        oldest.remove();
                    }
                    if (reference.size() == max) {
                        reference.remove(reference.keySet().iterator().next());
                    }
                    reference.put(key, now);
                    ids.remember(user, event, now);
                }
                if (random.nextInt(300) == 0) {
                    String forgotten = "u" + random.nextInt(5);
                    Map<String, Long> marked = new LinkedHashMap<>();
                    int n = 0;
                    for (var e : reference.entrySet()) {
                        boolean theirs = e.getKey().startsWith(forgotten + "/");
                        n += theirs ? 1 : 0;
                        marked.put(theirs ? "dropped#" + dropped++ : e.getKey(), theirs ? Long.MIN_VALUE : e.getValue());
                    }
                    reference = marked;
                    assertEquals(n, ids.forget(forgotten), "seed " + seed + " step " + step);
                }
                if (random.nextInt(500) == 0) {
                    AppliedEventIds restored = new AppliedEventIds(max, retention);
                    restored.restore(ids.state());
                    ids = restored;
                    reference.keySet().removeIf(k -> k.startsWith("dropped#")); // a checkpoint leaves them out
                }
            }
            assertEquals(reference.size(), ids.size());
        }
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
