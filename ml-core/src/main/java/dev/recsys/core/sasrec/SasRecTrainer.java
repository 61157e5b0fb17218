package dev.recsys.core.sasrec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.training.GradientCollector;

/**
 * Next-item training for {@link SasRecModel}: every position predicts the item after it, with a full
 * softmax over the catalogue (or a sampled one). One trainer per model, kept for the model's life so that
 * Adam's moments survive between calls.
 * <p>
 * Over 300 lines on purpose: the loss, the gradient collection and Adam's update over the growing item
 * table share the parameter layout and the process-wide step lock; they are one step, read top to bottom.
 */
public final class SasRecTrainer {

    private final SasRecModel model;
    private final Adam adam;
    private final Random random;
    private final int futureTargets;
    private final float sequenceWeightPower;

    public SasRecTrainer(SasRecModel model) {
        this(model, 0f, 1, 0f);
    }

    public SasRecTrainer(SasRecModel model, float weightDecay, int futureTargets) {
        this(model, weightDecay, futureTargets, 0f);
    }

    /**
     * @param weightDecay   decoupled weight decay of the weight matrices (AdamW); 0 for plain Adam
     * @param futureTargets how many of the items after a position it learns to predict, equally weighted: 1
     *                      is SASRec's next item; more treats the order within a session as loose (on
     *                      ml-latest-small, 5 learned more slowly and no better: docs/results/2026-11-29-offline-evaluation.md). Full softmax only.
     * @param sequenceWeightPower a sequence with n counted positions weighs n^(1 - power) in the loss: 0 weighs
     *                      every position the same (long histories weigh most), 1 every sequence the same
     */
    public SasRecTrainer(SasRecModel model, float weightDecay, int futureTargets, float sequenceWeightPower) {
        if (futureTargets < 1 || futureTargets > 1 && model.config().negatives() > 0) {
            throw new IllegalArgumentException("futureTargets must be 1 with a sampled softmax, and at least 1: "
                    + futureTargets);
        }
        if (!(sequenceWeightPower >= 0 && sequenceWeightPower <= 1)) {
            throw new IllegalArgumentException("sequenceWeightPower must be in [0, 1]: " + sequenceWeightPower);
        }
        this.sequenceWeightPower = sequenceWeightPower;
        this.model = model;
        this.adam = new Adam(model.config().learningRate(), weightDecay, model.manager());
        this.random = new Random(model.config().seed());
        this.futureTargets = futureTargets;
    }

    /** Adam's moments and step count, by parameter name (the optimizer half of a checkpoint). */
    public OptimizerState optimizerState() {
        return adam.state(model.namedParameters());
    }

    /** Takes up the optimizer state of a checkpoint of this model. */
    public void restoreOptimizer(OptimizerState state) {
        adam.restore(state, model.namedParameters());
    }

    /** Later steps use {@code factor} times the configured learning rate (for a schedule). */
    public void scaleLearningRate(float factor) {
        adam.scaleLearningRate(factor);
    }

    /** Grows the item table (and the optimizer state with it) to {@code rows}. */
    public void growItems(int rows) {
        NDArray old = model.growItems(rows);
        if (old != null) {
            adam.grow(old, model.namedParameters().get("items"));
            old.close();
        }
    }

    /**
     * One pass over {@code sequences} in shuffled batches.
     *
     * @param sequences item rows in time order, one array per user
     * @return the mean loss
     */
    public double epoch(List<int[]> sequences, ProgressListener progress) {
        List<int[]> order = new ArrayList<>(sequences);
        order.removeIf(s -> s.length < 2);
        Collections.shuffle(order, random);
        int batchSize = model.config().batchSize();
        double lossSum = 0;
        int batches = 0;
        for (int from = 0; from < order.size(); from += batchSize) {
            List<int[]> batch = order.subList(from, Math.min(order.size(), from + batchSize));
            lossSum += step(batch);
            batches++;
            progress.done(Math.min(order.size(), from + batchSize), order.size());
        }
        return batches == 0 ? Double.NaN : lossSum / batches;
    }

    /**
     * One gradient step on these sequences; returns the loss before the step, or NaN when there was nothing
     * to learn or the loss was not finite (then the weights are left as they were).
     */
    public double step(List<int[]> batch) {
        return step(batch, Integer.MAX_VALUE);
    }

    /**
     * One gradient step in which only each sequence's last {@code lastTargets} transitions count: online,
     * the new events are at the end, and the loss over the catalogue is what costs.
     */
    public double step(List<int[]> batch, int lastTargets) {
        int[] each = new int[batch.size()];
        java.util.Arrays.fill(each, lastTargets);
        return step(batch, each);
    }

    /** One gradient step in which sequence {@code b} counts its last {@code lastTargets[b]} transitions. */
    public double step(List<int[]> batch, int[] lastTargets) {
        int length = model.config().maxLength();
        int k = futureTargets;
        long[] inputs = new long[batch.size() * length];
        // Per counted position: its flat index, and the next k items (0 where the sequence ends sooner).
        long[] at = new long[batch.size() * length];
        long[] flat = new long[batch.size() * length * k];
        int[] owner = new int[batch.size() * length];
        int counted = 0;
        for (int b = 0; b < batch.size(); b++) {
            int[] s = batch.get(b);
            // The last length + 1 items: inputs are all but the newest, targets come after each input.
            int take = Math.min(s.length, length + 1);
            int start = s.length - take;
            for (int i = 0; i < take - 1; i++) {
                int pos = length - (take - 1) + i;
                inputs[b * length + pos] = s[start + i];
                if (i >= take - 1 - lastTargets[b] && s[start + i + 1] > 0) {
                    for (int j = 0; j < k && start + i + 1 + j < s.length; j++) {
                        flat[counted * k + j] = s[start + i + 1 + j];
                    }
                    owner[counted] = b;
                    at[counted++] = (long) b * length + pos;
                }
            }
        }
        // Only positions with a target count; padding is dropped before the loss, whose
        // (positions x catalogue) product dominates the cost.
        if (counted == 0) {
            return Double.NaN; // nothing to learn from; a step on an empty loss would write NaNs
        }
        at = java.util.Arrays.copyOf(at, counted);
        flat = java.util.Arrays.copyOf(flat, counted * k);
        // Every counted position is among its sequence's last max(lastTargets) positions: an online step (8 of
        // 200) works out only those in the last block, and its positions are renumbered to match.
        int window = 0;
        for (int t : lastTargets) {
            window = Math.max(window, t);
        }
        window = window > 0 && window < length ? window : length;
        if (window < length) {
            for (int i = 0; i < counted; i++) {
                long b = at[i] / length;
                at[i] = b * window + (at[i] % length - (length - window));
            }
        }
        // DJL's PyTorch engine allows one gradient collector at a time in a process: the online trainer and a
        // re-fit pass (two trainers, two threads) take turns, step by step.
        synchronized (GRADIENT_COLLECTION) {
            return collectAndStep(inputs, flat, at, owner, counted, batch.size(), length, k, window);
        }
    }

    private static final Object GRADIENT_COLLECTION = new Object();

    private double collectAndStep(long[] inputs, long[] flat, long[] at, int[] owner, int counted, int sequences,
            int length, int k, int window) {
        try (NDManager step = model.manager().newSubManager()) {
            NDArray in = step.create(inputs, new Shape(sequences, length));
            NDArray target = step.create(flat, new Shape(at.length, k));
            NDArray positionWeights = sequenceWeightPower == 0 ? null
                    : step.create(positionWeights(owner, counted, sequences));
            double loss;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray encoded = window < length ? model.encodeLast(in, true, step, window) : model.encode(in, true, step);
                NDArray hidden = encoded.reshape(-1, model.config().dim()).get(step.create(at));
                NDArray l = model.config().negatives() == 0 ? fullSoftmaxLoss(hidden, target, positionWeights, step)
                        : sampledSoftmaxLoss(hidden, target.reshape(-1), positionWeights, step);
                collector.backward(l);
                loss = l.getFloat();
            }
            if (!Double.isFinite(loss)) {
                // A non-finite loss has non-finite gradients: one such step would poison every weight.
                // Skipped, and the caller sees the NaN it returns.
                for (NDArray p : model.parameters()) {
                    try (NDArray g = p.getGradient()) {
                        Adam.zero(g);
                    }
                }
                return Double.NaN;
            }
            adam.step(model.parameters());
            return loss;
        }
    }

    /** Each counted position's share of the loss (summing to one): a sequence's n positions share n^(1 - power). */
    private float[] positionWeights(int[] owner, int counted, int sequences) {
        int[] n = new int[sequences];
        for (int i = 0; i < counted; i++) {
            n[owner[i]]++;
        }
        float[] w = new float[counted];
        double sum = 0;
        for (int i = 0; i < counted; i++) {
            w[i] = (float) Math.pow(n[owner[i]], -sequenceWeightPower);
            sum += w[i];
        }
        for (int i = 0; i < counted; i++) {
            w[i] /= (float) sum;
        }
        return w;
    }

    /**
     * Cross-entropy over the whole catalogue; {@code hidden} is (positions, dim), {@code target} (positions,
     * k) with 0 where a position has fewer than k items after it. Each position's targets share its weight;
     * positions weigh the same unless {@code positionWeights} (positions, summing to one) says otherwise.
     */
    private NDArray fullSoftmaxLoss(NDArray hidden, NDArray target, NDArray positionWeights, NDManager step) {
        NDArray items = model.namedParameters().get("items").get(":");
        items.attach(step);
        NDArray logProbs = hidden.matMul(items.transpose()).logSoftmax(-1);
        NDArray picked = logProbs.gather(target, -1);
        if (target.getShape().get(1) > 1) {
            // Weights are data, not parameters: made without a graph, each row summing to one.
            NDArray present = target.gt(0).toType(DataType.FLOAT32, false);
            picked = picked.mul(present.div(present.sum(new int[] { 1 }, true))).sum(new int[] { 1 }, true);
        }
        return weightedMean(picked.reshape(-1), positionWeights).neg();
    }

    private static NDArray weightedMean(NDArray perPosition, NDArray positionWeights) {
        return positionWeights == null ? perPosition.mean() : perPosition.mul(positionWeights).sum();
    }

    /** Softmax over the target and {@code negatives} items drawn uniformly, shared by the batch. */
    private NDArray sampledSoftmaxLoss(NDArray hidden, NDArray target, NDArray positionWeights, NDManager step) {
        int rows = model.rows();
        long[] negatives = new long[model.config().negatives()];
        for (int i = 0; i < negatives.length; i++) {
            negatives[i] = 1 + random.nextInt(rows - 1);
        }
        NDArray table = model.namedParameters().get("items");
        NDArray positive = Embedding.embedding(target, table, SparseFormat.DENSE).singletonOrThrow();
        positive.attach(step);
        NDArray negative = Embedding.embedding(step.create(negatives), table, SparseFormat.DENSE).singletonOrThrow();
        negative.attach(step);
        NDArray positiveScore = hidden.mul(positive).sum(new int[] { -1 }, true);
        NDArray negativeScore = hidden.matMul(negative.transpose());
        NDArray logProbs = ai.djl.ndarray.NDArrays.concat(new ai.djl.ndarray.NDList(positiveScore, negativeScore), -1)
                .logSoftmax(-1);
        return weightedMean(logProbs.get(":, 0"), positionWeights).neg();
    }

    /** Told after each batch how many sequences of the epoch are done. */
    public interface ProgressListener {
        ProgressListener NONE = (done, total) -> { };

        void done(int done, int total);
    }
}
