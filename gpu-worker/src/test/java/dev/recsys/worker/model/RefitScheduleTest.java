package dev.recsys.worker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RefitScheduleTest {

    static final long HOUR = 3_600_000_000_000L;

    @Test
    void rejectedPassesDoubleTheWaitUpToEightTimesAndAnAcceptedOneResetsIt() {
        RefitSchedule schedule = new RefitSchedule(50_000, 6 * HOUR);
        assertFalse(schedule.due(49_999, HOUR));
        assertTrue(schedule.due(50_000, HOUR));
        schedule.passed(false);
        assertFalse(schedule.due(99_999, HOUR), "after a rejection, twice the events");
        assertTrue(schedule.due(100_000, HOUR));
        schedule.passed(false);
        schedule.passed(false);
        schedule.passed(false);
        assertEquals(400_000, schedule.neededEvents(), "at most 8 times every-events");
        schedule.passed(true);
        assertEquals(50_000, schedule.neededEvents());
    }

    @Test
    void theIntervalStillTriggersAPassIfAnyEventCame() {
        RefitSchedule schedule = new RefitSchedule(50_000, 6 * HOUR);
        schedule.passed(false);
        assertFalse(schedule.due(0, 7 * HOUR), "nothing new: no pass");
        assertTrue(schedule.due(1, 6 * HOUR));
        assertFalse(schedule.due(1, 5 * HOUR));
    }
}
