package dev.recsys.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class PairedBootstrapTest {

    @Test
    void aModelTwiceAsGoodOnEveryUserHasNoSpreadBecauseTheUsersArePaired() {
        double[] baseline = { 0.1, 0.5, 1.0, 0.3, 0.2 };
        double[] model = new double[baseline.length];
        for (int u = 0; u < model.length; u++) {
            model[u] = 2 * baseline[u];
        }
        PairedBootstrap.Interval i = PairedBootstrap.ratioOfMeans(model, baseline, 500, 0.95, 7);
        assertEquals(2.0, i.estimate(), 1e-12);
        assertEquals(2.0, i.low(), 1e-12);
        assertEquals(2.0, i.high(), 1e-12);
    }

    @Test
    void theIntervalHoldsTheEstimateAndNarrowsLikeOneOverRootUsers() {
        double small = width(400);
        double large = width(1600);
        // Four times the users: about half the width (1/sqrt(4)).
        assertTrue(large / small > 0.35 && large / small < 0.65, small + " then " + large);
    }

    private static double width(int users) {
        Random random = new Random(users);
        double[] baseline = new double[users];
        double[] model = new double[users];
        for (int u = 0; u < users; u++) {
            // Hit or miss, as NDCG is for most users; the model hits a little more often.
            baseline[u] = random.nextDouble() < 0.3 ? random.nextDouble() : 0;
            model[u] = random.nextDouble() < 0.36 ? random.nextDouble() : 0;
        }
        PairedBootstrap.Interval i = PairedBootstrap.ratioOfMeans(model, baseline, 2000, 0.95, 3);
        double sumModel = 0;
        double sumBaseline = 0;
        for (int u = 0; u < users; u++) {
            sumModel += model[u];
            sumBaseline += baseline[u];
        }
        assertEquals(sumModel / sumBaseline, i.estimate(), 1e-12);
        assertTrue(i.low() < i.estimate() && i.estimate() < i.high(), i.toString());
        return i.high() - i.low();
    }

    @Test
    void theSameSeedGivesTheSameInterval() {
        double[] a = { 0, 1, 0.5, 0, 0.3, 0.9 };
        double[] b = { 0.2, 0.4, 0, 0.6, 0.3, 0.1 };
        assertEquals(PairedBootstrap.ratioOfMeans(a, b, 300, 0.9, 11),
                PairedBootstrap.ratioOfMeans(a, b, 300, 0.9, 11));
    }

    @Test
    void unpairedOrEmptyInputsAndBadSettingsAreRefused() {
        IllegalArgumentException lengths = assertThrows(IllegalArgumentException.class,
                () -> PairedBootstrap.ratioOfMeans(new double[3], new double[2], 10, 0.95, 1));
        assertEquals("need the same users for both, at least one: got 3 and 2", lengths.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> PairedBootstrap.ratioOfMeans(new double[0], new double[0], 10, 0.95, 1));
        assertThrows(IllegalArgumentException.class,
                () -> PairedBootstrap.ratioOfMeans(new double[1], new double[1], 0, 0.95, 1));
        assertThrows(IllegalArgumentException.class,
                () -> PairedBootstrap.ratioOfMeans(new double[1], new double[1], 10, 1.0, 1));
    }
}
