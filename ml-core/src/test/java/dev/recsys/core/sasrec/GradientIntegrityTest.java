package dev.recsys.core.sasrec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

/**
 * Autograd keeps the tensors a backward pass needs. A tensor made from Java memory (DJL's
 * {@code div(Number)} makes its scalar that way and closes it at once) is freed by the garbage collector
 * while the graph still points at it; once the memory is reused, the gradients are garbage. This
 * happened online, where scoring allocates on another thread between a step's forward and backward passes:
 * one step in some hundreds had gradients of 1e20 to 1e35 and then NaN weights.
 */
class GradientIntegrityTest {

    static final SasRecConfig CONFIG = new SasRecConfig(8, 16, 2, 2, 0f, 1e-3f, 32, 0, 3);
    static final long[] SEQUENCES = { 0, 0, 3, 5, 7, 9, 11, 13, 1, 2, 3, 4, 5, 6, 7, 8 };

    @Test
    void gradientsDoNotDependOnWhatTheJvmDoesWithFreedMemoryBeforeTheBackwardPass() {
        try (SasRecModel model = SasRecModel.create(CONFIG, 20)) {
            float[] clean = gradient(model, false);
            for (int round = 0; round < 5; round++) {
                float[] disturbed = gradient(model, true);
                for (int i = 0; i < clean.length; i++) {
                    assertEquals(clean[i], disturbed[i], 1e-6 + 1e-4 * Math.abs(clean[i]), "round " + round + " gradient " + i);
                }
            }
        }
    }

    /** The gradient of the block-0 query weights for a fixed loss, with the JVM's memory churned if asked. */
    private static float[] gradient(SasRecModel model, boolean churn) {
        try (NDManager step = model.manager().newSubManager()) {
            NDArray in = step.create(SEQUENCES, new Shape(2, 8));
            float[] out;
            GradMode.off();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = model.encode(in, true, step).square().mean();
                if (churn) {
                    churn();
                }
                collector.backward(loss);
            }
            try (NDArray g = model.namedParameters().get("block0.attn.q.weight").getGradient()) {
                out = g.toFloatArray();
            }
            for (NDArray p : model.parameters()) {
                try (NDArray g = p.getGradient()) {
                    Adam.zero(g);
                }
            }
            return out;
        }
    }

    /** Frees unreachable direct buffers and fills small fresh ones with a huge value, as other threads would. */
    static void churn() {
        List<ByteBuffer> keep = new ArrayList<>();
        for (int gc = 0; gc < 3; gc++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (int i = 0; i < 2000; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(4 + (i % 4) * 4).order(ByteOrder.nativeOrder());
                while (b.remaining() >= 4) {
                    b.putFloat(1e30f);
                }
                keep.add(b);
            }
        }
        keep.clear();
    }
}
