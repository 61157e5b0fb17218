package dev.recsys.core.sasrec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

class AdamTest {

    @Test
    void decoupledWeightDecayShrinksWeightMatricesOnlyByLearningRateTimesDecay() {
        // A model first, so the PyTorch engine is loaded as everywhere else in these tests.
        try (SasRecModel model = SasRecModel.create(GradientIntegrityTest.CONFIG, 4);
                NDManager m = model.manager().newSubManager()) {
            NDArray w = m.create(new float[] { 1, -2, 3, -4 }, new Shape(2, 2));
            NDArray b = m.create(new float[] { 1, 2 });
            w.setRequiresGradient(true);
            b.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                // A loss whose gradient is zero everywhere: only the decay moves anything.
                NDArray zero = m.zeros(new Shape());
                collector.backward(w.mul(zero).sum().add(b.mul(zero).sum()));
            }
            new Adam(0.01f, 0.5f, m).step(List.of(w, b));
            float keep = 1 - 0.01f * 0.5f;
            assertArrayEquals(new float[] { keep, -2 * keep, 3 * keep, -4 * keep }, w.toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] { 1, 2 }, b.toFloatArray(), 0f);
        }
    }

    @Test
    void aScaledLearningRateScalesTheStep() {
        try (SasRecModel model = SasRecModel.create(GradientIntegrityTest.CONFIG, 4);
                NDManager m = model.manager().newSubManager()) {
            NDArray w = m.create(new float[] { 1, -2 });
            w.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(w.sum()); // gradient one everywhere
            }
            Adam adam = new Adam(0.1f, m);
            adam.scaleLearningRate(0.25f);
            adam.step(List.of(w));
            // Adam's first step is the learning rate times the gradient's sign (bias-corrected moments).
            assertArrayEquals(new float[] { 1 - 0.025f, -2 - 0.025f }, w.toFloatArray(), 1e-6f);
        }
    }
}
