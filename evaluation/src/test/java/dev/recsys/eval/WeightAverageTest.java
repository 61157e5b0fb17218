package dev.recsys.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.recsys.core.sasrec.SasRecModel;

class WeightAverageTest {

    private static SasRecModel.Weights weights(float... v) {
        return new SasRecModel.Weights(Map.of("w", v), Map.of("w", new long[] { v.length }));
    }

    @Test
    void averagesExponentiallyFromTheFirstWeights() {
        WeightAverage avg = new WeightAverage(0.75);
        float[] first = { 4f, -8f };
        avg.update(weights(first));
        avg.update(weights(8f, 0f));
        // 0.75 * 4 + 0.25 * 8 = 5; 0.75 * -8 + 0.25 * 0 = -6
        assertArrayEquals(new float[] { 5f, -6f }, avg.current().values().get("w"), 1e-6f);
        assertArrayEquals(new float[] { 4f, -8f }, first, 0f, "the caller's arrays are not written");
    }

    @Test
    void zeroDecayKeepsTheLatest() {
        WeightAverage avg = new WeightAverage(0);
        avg.update(weights(1f));
        avg.update(weights(3f));
        assertArrayEquals(new float[] { 3f }, avg.current().values().get("w"), 0f);
    }

    @Test
    void refusesADecayOfOne() {
        assertThrows(IllegalArgumentException.class, () -> new WeightAverage(1));
    }
}
