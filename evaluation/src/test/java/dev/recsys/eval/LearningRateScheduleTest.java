package dev.recsys.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void constantIsOneThroughout() {
        LearningRateSchedule s = LearningRateSchedule.constant();
        assertEquals(1f, s.factor(1, 10));
        assertEquals(1f, s.factor(10, 10));
    }

    @Test
    void warmsUpLinearlyThenDecaysByCosine() {
        LearningRateSchedule s = LearningRateSchedule.parse("cosine", 3);
        assertEquals(0.25f, s.factor(1, 23), 1e-6f);
        assertEquals(0.75f, s.factor(3, 23), 1e-6f);
        assertEquals(1f, s.factor(4, 23), 1e-6f);
        // Halfway through the 20 epochs after the warm-up: cos(pi / 2) = 0, so a factor of 0.5.
        assertEquals(0.5f, s.factor(14, 23), 1e-6f);
        float last = s.factor(23, 23);
        assertTrue(last > 0 && last < 0.01f, "the last epoch still learns a little: " + last);
        for (int e = 5; e <= 23; e++) {
            assertTrue(s.factor(e, 23) < s.factor(e - 1, 23), "decreasing at " + e);
        }
    }

    @Test
    void refusesAnUnknownSchedule() {
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.parse("step", 0));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.parse("cosine", -1));
    }
}
