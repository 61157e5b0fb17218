package dev.recsys.eval;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.recsys.core.sasrec.SasRecModel;

/**
 * An exponential moving average of a model's weights, taken once per epoch. On a dataset as small as
 * MovieLens ml-latest-small the weights wander around the validation plateau from epoch to epoch; their
 * average generalises better than any one epoch's, and early stopping picks among averages.
 */
final class WeightAverage {

    private final double decay;
    private SasRecModel.Weights average;

    /** @param decay the old average's share at each update, in [0, 1); 0 keeps only the latest weights */
    WeightAverage(double decay) {
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("decay must be in [0, 1): " + decay);
        }
        this.decay = decay;
    }

    /** Folds in this epoch's weights; the first ones start the average. */
    void update(SasRecModel.Weights weights) {
        if (average == null) {
            average = copy(weights);
            return;
        }
        for (var e : weights.values().entrySet()) {
            float[] avg = average.values().get(e.getKey());
            float[] v = e.getValue();
            for (int i = 0; i < v.length; i++) {
                avg[i] = (float) (decay * avg[i] + (1 - decay) * v[i]);
            }
        }
    }

    /** The average so far (not a copy: read it before the next update). */
    SasRecModel.Weights current() {
        return average;
    }

    /** A copy of the average so far, unchanged by later updates. */
    SasRecModel.Weights snapshot() {
        return copy(average);
    }

    private static SasRecModel.Weights copy(SasRecModel.Weights weights) {
        Map<String, float[]> values = new LinkedHashMap<>();
        weights.values().forEach((name, v) -> values.put(name, v.clone()));
        return new SasRecModel.Weights(values, weights.shapes());
    }
}
