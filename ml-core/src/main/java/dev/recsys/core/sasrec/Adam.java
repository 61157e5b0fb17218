package dev.recsys.core.sasrec;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * Adam (beta1 0.9, beta2 0.999, eps 1e-8) whose state lives as long as the model: an online model loses
 * what it learned when the moments restart from zero. OptimizerState follows a parameter that is replaced by a
 * larger one (a grown embedding table): old rows keep their moments, new rows start at zero.
 */
final class Adam {

    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPS = 1e-8f;

    private final float baseLearningRate;
    private float learningRate;
    private final float weightDecay;
    private final NDManager manager;
    private final Map<NDArray, NDArray[]> moments = new IdentityHashMap<>();
    private long steps;

    Adam(float learningRate, NDManager manager) {
        this(learningRate, 0f, manager);
    }

    /**
     * @param weightDecay decoupled (AdamW): each step shrinks every weight matrix by {@code lr * weightDecay}
     *                    of itself; biases and LayerNorm parameters are left alone
     */
    Adam(float learningRate, float weightDecay, NDManager manager) {
        this.baseLearningRate = learningRate;
        this.learningRate = learningRate;
        this.weightDecay = weightDecay;
        this.manager = manager;
    }

    /** Steps from now on use {@code factor} times the configured learning rate (a schedule's value). */
    void scaleLearningRate(float factor) {
        if (!(factor >= 0)) {
            throw new IllegalArgumentException("learning-rate factor must be >= 0: " + factor);
        }
        learningRate = baseLearningRate * factor;
    }

    /** One update of every parameter from its gradient, then the gradients are zeroed. */
    void step(List<NDArray> parameters) {
        GradMode.off();
        steps++;
        float correction1 = 1 - (float) Math.pow(BETA1, steps);
        float correction2 = 1 - (float) Math.pow(BETA2, steps);
        for (NDArray p : parameters) {
            try (NDManager scratch = manager.newSubManager()) {
                NDArray g = p.getGradient();
                g.attach(scratch);
                NDArray[] mv = moments.computeIfAbsent(p, k -> new NDArray[] { zeros(k), zeros(k) });
                mv[0].muli(BETA1).addi(g.mul(1 - BETA1));
                mv[1].muli(BETA2).addi(g.square().muli(1 - BETA2));
                // Every intermediate goes to scratch: made in the moments' manager they would live as long as
                // the model (two arrays the size of each parameter leaked per step).
                NDArray denominator = scratch(mv[1].div(correction2), scratch).sqrt().addi(EPS);
                NDArray update = scratch(mv[0].div(correction1), scratch).divi(denominator).muli(learningRate);
                if (weightDecay > 0 && p.getShape().dimension() >= 2) {
                    update.addi(scratch(p.mul(learningRate * weightDecay), scratch));
                }
                p.subi(update);
                zero(g);
            }
        }
    }

    private static NDArray scratch(NDArray array, NDManager scratch) {
        array.attach(scratch);
        return array;
    }

    /**
     * Sets a gradient to zero in place, whatever it held: {@code muli(0)} would keep a NaN or infinity of a
     * failed step, and every later step would accumulate onto it. A copy through indexing, never
     * {@code set(float[])}: DJL makes that tensor's storage the Java buffer itself, which is freed with
     * the wrapper while autograd goes on writing into it.
     */
    static void zero(NDArray gradient) {
        gradient.set(new NDIndex(":"), 0f);
    }

    /** The step count and both moments of every parameter, by name, for a checkpoint. */
    OptimizerState state(Map<String, NDArray> named) {
        Map<String, float[][]> out = new java.util.LinkedHashMap<>();
        named.forEach((name, p) -> {
            NDArray[] mv = moments.get(p);
            if (mv != null) {
                out.put(name, new float[][] { mv[0].toFloatArray(), mv[1].toFloatArray() });
            }
        });
        return new OptimizerState(steps, out);
    }

    /** Takes up a checkpoint's state; parameters it has no moments for start from zero. */
    void restore(OptimizerState state, Map<String, NDArray> named) {
        moments.values().forEach(mv -> {
            mv[0].close();
            mv[1].close();
        });
        moments.clear();
        steps = state.steps();
        state.moments().forEach((name, mv) -> {
            NDArray p = named.get(name);
            if (p == null || mv[0].length != p.size()) {
                throw new IllegalArgumentException("optimizer state for '" + name + "' does not fit the model");
            }
            moments.put(p, new NDArray[] { owned(mv[0], p), owned(mv[1], p) });
        });
    }

    /** A copy in PyTorch's memory: an array made over a Java buffer must not outlive that buffer's owner. */
    private NDArray owned(float[] values, NDArray like) {
        try (NDArray javaBacked = manager.create(values, like.getShape())) {
            NDArray copy = javaBacked.duplicate();
            copy.attach(manager);
            return copy;
        }
    }

    /** Moves the state of {@code old} to {@code grown}, padding new rows with zeros. */
    void grow(NDArray old, NDArray grown) {
        NDArray[] mv = moments.remove(old);
        if (mv == null) {
            return;
        }
        long extra = grown.getShape().get(0) - old.getShape().get(0);
        NDArray[] next = new NDArray[2];
        for (int i = 0; i < 2; i++) {
            NDArray pad = manager.zeros(new ai.djl.ndarray.types.Shape(extra, old.getShape().get(1)));
            next[i] = NDArrays.concat(new ai.djl.ndarray.NDList(mv[i], pad), 0);
            next[i].attach(manager);
            pad.close();
            mv[i].close();
        }
        moments.put(grown, next);
    }

    private NDArray zeros(NDArray like) {
        return manager.zeros(like.getShape(), like.getDataType());
    }
}
