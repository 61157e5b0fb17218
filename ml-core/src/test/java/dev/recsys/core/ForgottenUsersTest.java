package dev.recsys.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ForgottenUsersTest {

    @Test
    void eventsFromBeforeTheRequestStayForgottenUntilTheTombstoneExpires() {
        ForgottenUsers forgotten = new ForgottenUsers(1_000);
        forgotten.forget("u", 500, 500);
        assertTrue(forgotten.forgotten("u", 499), "an event from before the request");
        assertTrue(forgotten.forgotten("u", 500));
        assertFalse(forgotten.forgotten("u", 501), "something new is a new history");
        assertFalse(forgotten.forgotten("v", 0), "only that user");
        assertEquals(1, forgotten.requests());

        ForgottenUsers restored = new ForgottenUsers(1_000);
        restored.restore(forgotten.state());
        assertTrue(restored.forgotten("u", 400), "carried in checkpoints");
        assertEquals(forgotten.state(), restored.state());

        // Past the log's retention the old events are gone from it, and so is the tombstone.
        forgotten.forget("v", 1_600, 1_600);
        assertFalse(forgotten.forgotten("u", 400));
        assertTrue(forgotten.forgotten("v", 1_000));
        assertEquals(1, forgotten.size());
    }
}
