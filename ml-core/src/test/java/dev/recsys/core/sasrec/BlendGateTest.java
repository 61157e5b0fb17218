package dev.recsys.core.sasrec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BlendGateTest {

    static final int ROWS = 30;
    final boolean[] none = new boolean[ROWS];

    /** A distribution with {@code mass} on {@code row} and the rest spread evenly. */
    static float[] peaked(int row, float mass) {
        float[] p = new float[ROWS];
        for (int r = 1; r < ROWS; r++) {
            p[r] = (1 - mass) / (ROWS - 2);
        }
        p[row] = mass;
        return p;
    }

    @Test
    void keepsItsStartingShareUntilItHasSeenEnoughThenFollowsTheSideThatRanksTheNextItem() {
        BlendGate gate = new BlendGate(0.5, 0.01);
        // The table puts the item the user takes first; the model is sure of another one.
        for (int i = 0; i < BlendGate.MIN_SAMPLES - 1; i++) {
            gate.observe(peaked(5, 0.6f), peaked(2, 0.9f), 5, none);
        }
        assertEquals(0.5, gate.weight(), 0);
        for (int i = 0; i < 100; i++) {
            gate.observe(peaked(5, 0.6f), peaked(2, 0.9f), 5, none);
            // Now the model knows better: the table is sure of row 3, the model of the row taken.
        }
        assertEquals(true, gate.weight() >= 0.7, "table's share " + gate.weight());
        for (int i = 0; i < 3000; i++) {
            gate.observe(peaked(3, 0.9f), peaked(7, 0.6f), 7, none);
        }
        assertEquals(true, gate.weight() <= 0.25, "table's share " + gate.weight());
        assertEquals(BlendGate.MIN_SAMPLES - 1 + 3100, gate.samples());
    }

    @Test
    void theUsersOwnItemsDoNotCountAgainstARanking() {
        BlendGate gate = new BlendGate(0.5, 0.05);
        // The model's favourite is an item the user already has: excluded, the model ranks the target first.
        boolean[] seen = new boolean[ROWS];
        seen[2] = true;
        float[] model = peaked(2, 0.9f);
        model[9] = 0.05f;
        for (int i = 0; i < 200; i++) {
            gate.observe(peaked(4, 0.9f), model, 9, seen);
        }
        assertEquals(0, gate.weight(), 0);
    }

    @Test
    void eachBandOfHistoryLengthLearnsItsOwnShareAndASparseBandBorrowsThePooledOne() {
        BlendGate gate = BlendGate.byHistoryLength(0.5, 0.02);
        // Short histories (3 items): the table ranks the next item; long ones (300): the model does.
        for (int i = 0; i < 400; i++) {
            gate.observe(peaked(5, 0.6f), peaked(2, 0.9f), 5, none, 3);
            gate.observe(peaked(3, 0.9f), peaked(7, 0.6f), 7, none, 300);
        }
        assertEquals(true, gate.weight(3) >= 0.7, "short histories' share " + gate.weight(3));
        assertEquals(true, gate.weight(300) <= 0.25, "long histories' share " + gate.weight(300));
        // A band with no samples yet (20-49 items) takes the share chosen over every event.
        assertEquals(gate.weight(), gate.weight(30), 0);
        assertEquals(800, gate.samples());
        // A gate of one band gives every length the same share.
        BlendGate pooled = new BlendGate(0.5, 0.02);
        for (int i = 0; i < 400; i++) {
            pooled.observe(peaked(5, 0.6f), peaked(2, 0.9f), 5, none, 3);
            pooled.observe(peaked(3, 0.9f), peaked(7, 0.6f), 7, none, 300);
        }
        assertEquals(pooled.weight(3), pooled.weight(300), 0);
        assertThrows(IllegalArgumentException.class, () -> new BlendGate(0.5, 0.1, new int[] { 5, 20 }));
    }

    @Test
    void aFixedGateNeverMovesAndBadSettingsAreRefused() {
        BlendGate fixed = BlendGate.fixed(0.4);
        for (int i = 0; i < 500; i++) {
            fixed.observe(peaked(5, 0.9f), peaked(2, 0.9f), 2, none);
        }
        assertEquals(0.4, fixed.weight(), 0);
        assertEquals(0, fixed.samples());
        assertThrows(IllegalArgumentException.class, () -> BlendGate.fixed(1.5));
        assertThrows(IllegalArgumentException.class, () -> new BlendGate(0.5, 1));
        assertThrows(IllegalArgumentException.class, () -> new BlendGate(Double.NaN, 0.1));
    }
}
