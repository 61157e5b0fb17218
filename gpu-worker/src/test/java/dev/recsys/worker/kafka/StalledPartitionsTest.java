package dev.recsys.worker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StalledPartitionsTest {

    static final long S = 1_000_000_000L;

    @Test
    void aStableOffsetStandingStillBehindTheEndForTheBoundIsHeldAndMovingFreesIt() {
        StalledPartitions p = new StalledPartitions(Duration.ofSeconds(10));
        p.observe(0, 5, 8, 0);
        p.observe(1, 3, 3, 0); // caught up: never held
        p.observe(0, 5, 9, 9 * S);
        assertEquals(Map.of(), p.held(9 * S), "not yet for the bound");
        assertEquals(Map.of(0, Duration.ofSeconds(10)), p.held(10 * S));
        p.observe(0, 6, 9, 11 * S); // it moved: a busy log whose transactions commit is not held
        assertEquals(Map.of(), p.held(20 * S));
        assertEquals(Map.of(0, Duration.ofSeconds(10)), p.held(21 * S));
        p.observe(0, 9, 9, 22 * S);
        assertEquals(Map.of(), p.held(60 * S));
    }
}
