package dev.recsys.functions.snapstart;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ClockJumpTest {

    @Test
    void aThawIsSeenOnceAndSteadyTimeNever() {
        AtomicLong wall = new AtomicLong(1_700_000_000_000L);
        AtomicLong mono = new AtomicLong(5_000_000_000L);
        ClockJump jump = new ClockJump(wall::get, mono::get, 5_000);
        for (int i = 0; i < 100; i++) { // an hour of requests, clocks in step (NTP slews of a few ms allowed)
            wall.addAndGet(36_000 + (i % 3));
            mono.addAndGet(36_000_000_000L);
            assertFalse(jump.jumped());
        }
        wall.addAndGet(3_600_000); // an hour in a snapshot: the wall clock moves on,
        mono.addAndGet(2_000_000); // the monotonic one barely
        assertTrue(jump.jumped());
        assertFalse(jump.jumped(), "reported once");
        wall.addAndGet(-60_000); // the wall clock set back: not a restore
        assertFalse(jump.jumped());
    }
}
