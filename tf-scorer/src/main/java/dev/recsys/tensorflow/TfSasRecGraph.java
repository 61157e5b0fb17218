package dev.recsys.tensorflow;

import java.util.List;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.proto.ConfigProto;

import dev.recsys.core.sasrec.SasRecConfig;
import dev.recsys.core.sasrec.SasRecModel;

/**
 * The SASRec forward pass of {@code SasRecModel} (PyTorch) as a TensorFlow graph, built once per set of
 * weights (graph mode: eager execution is far too slow for serving): item and position embeddings, padding
 * zeroed, pre-LayerNorm blocks of causal masked attention and a ReLU feed-forward, a final LayerNorm, and
 * the output tied to the item table. The weights are constants of the graph; a new snapshot gets a new graph.
 * Not thread-safe for building; {@link #scores} may run from several threads (a TF session is).
 */
public final class TfSasRecGraph implements AutoCloseable {

    private static final float MASKED = -1e9f;
    private static final float EPS = 1e-5f;

    private final SasRecConfig config;
    private final int rows;
    private final Graph graph;
    private final Session session;
    private final Placeholder<TInt32> sequences;
    private final Operand<TFloat32> scores;

    public TfSasRecGraph(SasRecConfig config, SasRecModel.Weights weights) {
        this(config, weights, 1);
    }

    public TfSasRecGraph(SasRecConfig config, SasRecModel.Weights weights, int threads) {
        TensorFlowEngine.requireLoaded();
        this.config = config;
        this.rows = (int) weights.shapes().get("items")[0];
        this.graph = new Graph();
        try {
            Ops tf = Ops.create(graph);
            int length = config.maxLength();
            int d = config.dim();
            sequences = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, length)));
            scores = build(tf, weights, length, d);
            // One intra-op thread, as the PyTorch scorer runs: the steadiest latency for one request on few cores.
            session = new Session(graph, ConfigProto.newBuilder().setIntraOpParallelismThreads(threads)
                    .setInterOpParallelismThreads(1).build());
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    private Operand<TFloat32> build(Ops tf, SasRecModel.Weights w, int length, int d) {
        int heads = config.heads();
        int dh = d / heads;
        Operand<TFloat32> items = param(tf, w, "items");
        Operand<TFloat32> x = tf.math.add(
                tf.math.mul(tf.gather(items, sequences, tf.constant(0)), tf.constant((float) Math.sqrt(d))),
                param(tf, w, "positions"));
        // (B, L, 1): 1 for items, 0 for padding, which stays zero through every block as in PyTorch.
        Operand<TFloat32> keep = tf.expandDims(
                tf.dtypes.cast(tf.math.notEqual(sequences, tf.constant(0)), TFloat32.class), tf.constant(-1));
        x = tf.math.mul(x, keep);

        float[] causal = new float[length * length];
        for (int i = 0; i < length; i++) {
            for (int j = i + 1; j < length; j++) {
                causal[i * length + j] = MASKED;
            }
        }
        Operand<TFloat32> padKeys = tf.reshape(
                tf.math.mul(tf.dtypes.cast(tf.math.equal(sequences, tf.constant(0)), TFloat32.class), tf.constant(MASKED)),
                tf.constant(new int[] { -1, 1, 1, length }));
        Operand<TFloat32> mask = tf.math.add(tf.constant(Shape.of(1, 1, length, length), DataBuffers.of(causal, true, false)),
                padKeys);
        Operand<TFloat32> scale = tf.constant((float) (1 / Math.sqrt(dh)));

        for (int b = 0; b < config.blocks(); b++) {
            String p = "block" + b + ".";
            Operand<TFloat32> h = layerNorm(tf, w, x, p + "ln1", d);
            Operand<TFloat32> q = heads(tf, linear(tf, w, h, p + "attn.q", d, length), length, heads, dh);
            Operand<TFloat32> k = heads(tf, linear(tf, w, h, p + "attn.k", d, length), length, heads, dh);
            Operand<TFloat32> v = heads(tf, linear(tf, w, h, p + "attn.v", d, length), length, heads, dh);
            Operand<TFloat32> logits = tf.math.add(tf.math.mul(
                    tf.train.batchMatMul(q, k, TFloat32.class, BatchMatMul.adjY(true)), scale), mask);
            Operand<TFloat32> attended = tf.train.batchMatMul(tf.nn.softmax(logits), v, TFloat32.class);
            Operand<TFloat32> merged = tf.reshape(tf.linalg.transpose(attended, tf.constant(new int[] { 0, 2, 1, 3 })),
                    tf.constant(new int[] { -1, length, d }));
            x = tf.math.add(x, linear(tf, w, merged, p + "attn.o", d, length));
            Operand<TFloat32> f = tf.nn.relu(linear(tf, w, layerNorm(tf, w, x, p + "ln2", d), p + "ffn.1", d, length));
            f = linear(tf, w, f, p + "ffn.2", d, length);
            x = tf.math.mul(tf.math.add(x, f), keep);
        }
        Operand<TFloat32> last = tf.gather(layerNorm(tf, w, x, "final", d), tf.constant(length - 1), tf.constant(1));
        return tf.linalg.matMul(last, items, MatMul.transposeB(true));
    }

    /** (B, L, d) -> (B, heads, L, dh). */
    private static Operand<TFloat32> heads(Ops tf, Operand<TFloat32> x, int length, int heads, int dh) {
        return tf.linalg.transpose(tf.reshape(x, tf.constant(new int[] { -1, length, heads, dh })),
                tf.constant(new int[] { 0, 2, 1, 3 }));
    }

    /** x (B, L, d) times weight (d, d) plus bias, through a (B*L, d) matrix product. */
    private static Operand<TFloat32> linear(Ops tf, SasRecModel.Weights w, Operand<TFloat32> x, String name, int d,
            int length) {
        Operand<TFloat32> flat = tf.reshape(x, tf.constant(new int[] { -1, d }));
        Operand<TFloat32> y = tf.math.add(tf.linalg.matMul(flat, param(tf, w, name + ".weight")), param(tf, w, name + ".bias"));
        return tf.reshape(y, tf.constant(new int[] { -1, length, d }));
    }

    /** LayerNorm over the last axis as PyTorch computes it: biased variance, eps inside the root. */
    private static Operand<TFloat32> layerNorm(Ops tf, SasRecModel.Weights w, Operand<TFloat32> x, String name, int d) {
        Operand<TFloat32> mean = tf.math.mean(x, tf.constant(-1), Mean.keepDims(true));
        Operand<TFloat32> variance = tf.math.mean(tf.math.squaredDifference(x, mean), tf.constant(-1), Mean.keepDims(true));
        Operand<TFloat32> normalised = tf.math.mul(tf.math.sub(x, mean), tf.math.rsqrt(tf.math.add(variance, tf.constant(EPS))));
        return tf.math.add(tf.math.mul(normalised, param(tf, w, name + ".gamma")), param(tf, w, name + ".beta"));
    }

    private static Operand<TFloat32> param(Ops tf, SasRecModel.Weights w, String name) {
        float[] values = w.values().get(name);
        if (values == null) {
            throw new IllegalArgumentException("weights have no parameter '" + name + "'");
        }
        return tf.constant(Shape.of(w.shapes().get(name)), DataBuffers.of(values, true, false));
    }

    /** Item rows this graph scores (padding included). */
    public int rows() {
        return rows;
    }

    /**
     * Scores of every item row after each history, as {@code SasRecInference.scores} gives them: the last
     * {@code maxLength} items, left-padded.
     */
    public float[][] scores(List<int[]> histories) {
        int length = config.maxLength();
        int[] input = new int[histories.size() * length];
        for (int b = 0; b < histories.size(); b++) {
            int[] h = histories.get(b);
            int take = Math.min(h.length, length);
            System.arraycopy(h, h.length - take, input, b * length + length - take, take);
        }
        try (TInt32 in = TInt32.tensorOf(Shape.of(histories.size(), length), DataBuffers.of(input, true, false));
                Result result = session.runner().feed(sequences, in).fetch(scores).run()) {
            TFloat32 out = (TFloat32) result.get(0);
            float[] flat = new float[histories.size() * rows];
            out.copyTo(DataBuffers.of(flat, false, false));
            float[][] per = new float[histories.size()][];
            for (int b = 0; b < per.length; b++) {
                per[b] = java.util.Arrays.copyOfRange(flat, b * rows, (b + 1) * rows);
            }
            return per;
        }
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
