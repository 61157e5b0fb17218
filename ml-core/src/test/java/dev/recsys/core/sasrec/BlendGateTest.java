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

    /** The table's votes: rows 1 to 10 get 0.19, 0.17, ..., 0.01 (no ties), the rest nothing. */
    static float[] tableVotes() {
        float[] t = new float[ROWS];
        for (int r = 1; r <= 10; r++) {
            t[r] = 0.19f - 0.02f * (r - 1);
        }
        return t;
    }

    /** The model: {@code mass} on {@code row}, 0.001 / (r + 1) on every other row r. */
    static float[] modelSure(int row, float mass) {
        float[] m = new float[ROWS];
        for (int r = 1; r < ROWS; r++) {
            m[r] = 0.001f / (r + 1);
        }
        m[row] = mass;
        return m;
    }

    /**
     * Two kinds of event, worked out by hand. "Model": the user takes row 4, the table's fourth (NDCG 1/log2 5
     * = 0.431 for the table alone), the model is sure of it (0.6): every share up to 0.9 ranks it first (NDCG
     * 1), a lead of +0.569. "Table": the user takes row 1, the table's first, the model is sure of row 2 (0.9):
     * every share up to 0.95 ranks row 2 above it (NDCG 0.631), a lead of -0.369; 0.99 and up keep it first.
     */
    void observe(BlendGate gate, boolean modelRight) {
        if (modelRight) {
            gate.observe(tableVotes(), modelSure(4, 0.6f), 4, none);
        } else {
            gate.observe(tableVotes(), modelSure(2, 0.9f), 1, none);
        }
    }

    @Test
    void aThinLeadOverTheTableAloneDoesNotMoveTheGateAClearOneDoes() {
        BlendGate guarded = new BlendGate(0.5, 0.01, new int[] { Integer.MAX_VALUE }, 2);
        BlendGate greedy = new BlendGate(0.5, 0.01, new int[] { Integer.MAX_VALUE }, 0);
        // 11 of every 25 events favour the model: shares 0 to 0.9 lead the table by 0.44 * 0.569 - 0.56 * 0.369
        // = 0.044 on average, with a standard deviation of 0.938 * sqrt(0.44 * 0.56) = 0.466; at decay 0.01 the
        // effective sample size is 199, so one standard error is 0.033: a lead, but within two of them.
        for (int i = 0; i < 2000; i++) {
            boolean modelRight = i % 25 < 22 && i % 25 % 2 == 0;
            observe(guarded, modelRight);
            observe(greedy, modelRight);
        }
        assertEquals(1, guarded.weight(), 0, "the guarded gate keeps the table alone");
        assertEquals(true, guarded.tableAlone(7));
        assertEquals(0, greedy.weight(), 0, "the greedy gate takes the thin lead (the first of the tied best)");
        // 4 of 5 favour the model: a lead of 0.8 * 0.569 - 0.2 * 0.369 = 0.381, one standard error 0.027.
        for (int i = 0; i < 2000; i++) {
            observe(guarded, i % 5 != 4);
        }
        assertEquals(0, guarded.weight(), 0);
        assertEquals(false, guarded.tableAlone(7));
        assertThrows(IllegalArgumentException.class,
                () -> new BlendGate(0.5, 0.01, new int[] { Integer.MAX_VALUE }, -1));
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
