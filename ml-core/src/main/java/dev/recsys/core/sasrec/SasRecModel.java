package dev.recsys.core.sasrec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;

/**
 * A causal self-attention Transformer over item sequences (SASRec): item embeddings tied with the output
 * layer (scaled by sqrt(dim) on input), learned positions, pre-LayerNorm blocks, dropout, padding masked.
 * <p>
 * Written as explicit tensor operations over named parameters rather than fixed-shape DJL blocks, because
 * the item table must grow in place when new items arrive (rows appended, trained rows kept). Row 0 of
 * the item table is padding. Sequences are left-padded: the newest item is always at the last position.
 * <p>
 * Arrays made while computing are attached to the caller's {@code step} manager; close it to free them.
 * <p>
 * Over 300 lines on purpose: the parameters, their initialisation and the forward pass that reads them by
 * name must change together; split, a renamed or reshaped parameter could go out of step silently.
 */
public final class SasRecModel implements AutoCloseable {

    private static final float MASKED = -1e9f;

    private final SasRecConfig config;
    private final NDManager manager;
    /** Parameters by name, in a fixed order; "items" is replaced when the table grows. */
    private final LinkedHashMap<String, NDArray> params = new LinkedHashMap<>();

    private SasRecModel(SasRecConfig config, NDManager manager) {
        this.config = config;
        this.manager = manager;
    }

    /** A freshly initialised model for {@code rows} item rows (padding included). */
    public static SasRecModel create(SasRecConfig config, int rows) {
        Engine.getInstance().setRandomSeed((int) config.seed());
        return of(config, initialWeights(config, rows));
    }

    /**
     * The parameter layout with initial values, in plain Java so that a checkpoint can be made without
     * the engine: item and position embeddings N(0, 1/dim) (padding row zero), Xavier-uniform projections,
     * LayerNorm gains one and every bias zero.
     */
    public static Weights initialWeights(SasRecConfig config, int rows) {
        java.util.Random random = new java.util.Random(config.seed());
        int d = config.dim();
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        java.util.function.BiConsumer<String, long[]> normal = (name, shape) -> {
            float[] v = new float[(int) (shape[0] * shape[1])];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (random.nextGaussian() / Math.sqrt(d));
            }
            values.put(name, v);
            shapes.put(name, shape);
        };
        java.util.function.BiConsumer<String, Float> vector = (name, fill) -> {
            float[] v = new float[d];
            java.util.Arrays.fill(v, fill);
            values.put(name, v);
            shapes.put(name, new long[] { d });
        };
        java.util.function.Consumer<String> xavier = name -> {
            float limit = (float) Math.sqrt(6.0 / (d + d));
            float[] v = new float[d * d];
            for (int i = 0; i < v.length; i++) {
                v[i] = (random.nextFloat() * 2 - 1) * limit;
            }
            values.put(name, v);
            shapes.put(name, new long[] { d, d });
        };
        normal.accept("items", new long[] { rows, d });
        java.util.Arrays.fill(values.get("items"), 0, d, 0f);
        normal.accept("positions", new long[] { config.maxLength(), d });
        for (int b = 0; b < config.blocks(); b++) {
            String p = "block" + b + ".";
            vector.accept(p + "ln1.gamma", 1f);
            vector.accept(p + "ln1.beta", 0f);
            for (String w : List.of("q", "k", "v", "o")) {
                xavier.accept(p + "attn." + w + ".weight");
                vector.accept(p + "attn." + w + ".bias", 0f);
            }
            vector.accept(p + "ln2.gamma", 1f);
            vector.accept(p + "ln2.beta", 0f);
            xavier.accept(p + "ffn.1.weight");
            vector.accept(p + "ffn.1.bias", 0f);
            xavier.accept(p + "ffn.2.weight");
            vector.accept(p + "ffn.2.bias", 0f);
        }
        vector.accept("final.gamma", 1f);
        vector.accept("final.beta", 0f);
        return new Weights(values, shapes);
    }

    /** A model with the given parameter values (from a checkpoint). */
    public static SasRecModel of(SasRecConfig config, Weights weights) {
        SasRecModel m = new SasRecModel(config, NDManager.newBaseManager(ComputeDevice.current()));
        for (var e : weights.values().entrySet()) {
            // An array made from Java memory points into a buffer the JVM manages; a clone lives in
            // PyTorch's own memory for as long as the model does, whatever the JVM does with the buffer.
            NDArray javaBacked = m.manager.create(e.getValue(), new Shape(weights.shapes().get(e.getKey())));
            m.put(e.getKey(), javaBacked.duplicate());
            javaBacked.close();
        }
        return m;
    }

    private void put(String name, NDArray value) {
        value.setRequiresGradient(true);
        params.put(name, value);
    }

    public SasRecConfig config() {
        return config;
    }

    public int rows() {
        return (int) params.get("items").getShape().get(0);
    }

    List<NDArray> parameters() {
        return new ArrayList<>(params.values());
    }

    Map<String, NDArray> namedParameters() {
        return params;
    }

    NDManager manager() {
        return manager;
    }

    /**
     * Appends item rows up to {@code rows}, all zeros; existing rows are unchanged. Zero, not random: an
     * untrained row scores 0 for everyone, mid-table, where random rows landed in strangers' top 10 until
     * trained (measured in the replay: thousands of new items dragged online HR@10 below the frozen
     * model's).
     *
     * @return the replaced table (so an optimizer can move its state), or null if nothing grew
     */
    NDArray growItems(int rows) {
        NDArray old = params.get("items");
        long extra = rows - old.getShape().get(0);
        if (extra <= 0) {
            return null;
        }
        GradMode.off(); // so that the concatenation is a fresh leaf, not a node of a graph
        NDArray added = manager.zeros(new Shape(extra, config.dim()));
        NDArray grown = NDArrays.concat(new NDList(old, added), 0);
        grown.attach(manager);
        added.close();
        put("items", grown);
        return old;
    }

    /**
     * Hidden states for left-padded sequences.
     *
     * @param sequences (batch, maxLength) int64 item rows, 0 = padding, attached to {@code step}
     * @return (batch, maxLength, dim)
     */
    NDArray encode(NDArray sequences, boolean training, NDManager step) {
        return encode(sequences, training, step, null, 0);
    }

    /**
     * Hidden states of each sequence's last {@code lastPositions} positions only: (batch, lastPositions, dim),
     * the same as those rows of {@link #encode(NDArray, boolean, NDManager)}. Online steps read no more: their
     * loss counts each sequence's newest transitions only.
     */
    NDArray encodeLast(NDArray sequences, boolean training, NDManager step, int lastPositions) {
        return encode(sequences, training, step, null, lastPositions);
    }

    /**
     * @param lastAttention when not null, receives the last block's attention weights of the last position,
     *                      (batch, heads, length), and its values, (batch, heads, length, dim / heads)
     */
    /**
     * @param lastPositions when between 1 and maxLength - 1, the last block works out the last positions only
     *                      (their keys and values still come from every position): all that scoring (one) and
     *                      an online step (its targets') read, at a fraction of the block's cost (its queries,
     *                      attention rows, output projection and feed-forward layer for those positions only)
     */
    private NDArray encode(NDArray sequences, boolean training, NDManager step, NDArray[] lastAttention,
            int lastPositions) {
        int d = config.dim();
        int heads = config.heads();
        int dh = d / heads;
        long batch = sequences.getShape().get(0);
        int length = config.maxLength();
        float rate = training ? config.dropout() : 0f;

        NDArray keep = sequences.gt(0).toType(DataType.FLOAT32, false).expandDims(-1); // (B, L, 1)
        NDArray x = Embedding.embedding(sequences, params.get("items"), SparseFormat.DENSE).singletonOrThrow();
        x.attach(step);
        // Scaled by sqrt(dim), as in SASRec, so that the item, not its position, dominates the input: on
        // ml-latest-small (seed 42) this took test NDCG@10 from 0.061 to 0.068 (docs/results/2026-11-29-offline-evaluation.md).
        x = x.mul(constant((float) Math.sqrt(d), step)).add(param("positions", step));
        x = Dropout.dropout(x, rate, training).singletonOrThrow().mul(keep);

        NDArray mask = attentionMask(sequences, step); // (B, 1, L, L) additive
        NDArray scale = constant((float) (1 / Math.sqrt(dh)), step);
        for (int b = 0; b < config.blocks(); b++) {
            String p = "block" + b + ".";
            boolean trim = lastPositions > 0 && lastPositions < length && b == config.blocks() - 1;
            int queries = trim ? lastPositions : length;
            String last = ":, -" + lastPositions + ":, :";
            NDArray h = layerNorm(x, p + "ln1", step);
            NDArray q = heads(linear(trim ? h.get(last) : h, p + "attn.q", step), batch, queries, heads, dh);
            NDArray k = heads(linear(h, p + "attn.k", step), batch, length, heads, dh);
            NDArray v = heads(linear(h, p + "attn.v", step), batch, length, heads, dh);
            NDArray rows = trim ? mask.get(":, :, -" + lastPositions + ":, :") : mask;
            NDArray weights = q.matMul(k.transpose(0, 1, 3, 2)).mul(scale).add(rows).softmax(-1);
            weights = Dropout.dropout(weights, rate, training).singletonOrThrow();
            if (lastAttention != null && b == config.blocks() - 1) {
                lastAttention[0] = weights.get(":, :, -1, :");
                lastAttention[1] = v;
            }
            NDArray attended = weights.matMul(v).transpose(0, 2, 1, 3).reshape(batch, queries, d);
            NDArray out = linear(attended, p + "attn.o", step);
            x = (trim ? x.get(last) : x).add(Dropout.dropout(out, rate, training).singletonOrThrow());

            NDArray f = Activation.relu(linear(layerNorm(x, p + "ln2", step), p + "ffn.1", step));
            f = linear(Dropout.dropout(f, rate, training).singletonOrThrow(), p + "ffn.2", step);
            x = x.add(Dropout.dropout(f, rate, training).singletonOrThrow()).mul(trim ? keep.get(last) : keep);
        }
        return layerNorm(x, "final", step);
    }

    /**
     * Scores as {@link #scoreLast}, from the same pass, and for each input position what the last block's
     * attention carried from it into the last position: attention weight times value, through the output
     * projection, centred and scaled as the final LayerNorm does up to its common 1/sigma: (batch, length,
     * dim). Its dot product with an item's row is that position's part of the item's score along the
     * attention path (the residual stream and the feed-forward layer's non-linearity are left out).
     */
    NDList scoreLastWithPaths(NDArray sequences, NDManager step) {
        NDArray[] attention = new NDArray[2];
        NDArray last = encode(sequences, false, step, attention, 0).get(":, -1, :");
        NDArray scores = last.matMul(param("items", step).transpose());
        long batch = sequences.getShape().get(0);
        int length = config.maxLength();
        String p = "block" + (config.blocks() - 1) + ".";
        NDArray carried = attention[0].expandDims(-1).mul(attention[1]).transpose(0, 2, 1, 3)
                .reshape(batch, length, config.dim()).matMul(params.get(p + "attn.o.weight"));
        NDArray paths = carried.sub(carried.mean(new int[] { -1 }, true)).mul(params.get("final.gamma"));
        return new NDList(scores, paths);
    }

    /** Scores of every item row after the last position of each sequence: (batch, rows). */
    NDArray scoreLast(NDArray sequences, NDManager step) {
        NDArray last = encode(sequences, false, step, null, 1).get(":, -1, :");
        return last.matMul(param("items", step).transpose());
    }

    /**
     * A scalar for use inside the training graph, in PyTorch's own memory. Never {@code x.div(2f)} and the
     * like there: DJL makes that scalar over a Java buffer and closes it at once, autograd keeps it for the
     * backward pass, and when the garbage collector has freed and reused the buffer the gradients are
     * garbage (seen online as one step in hundreds with gradients of 1e20-1e35; GradientIntegrityTest).
     */
    private static NDArray constant(float value, NDManager step) {
        return step.full(new Shape(), value, DataType.FLOAT32);
    }

    /** Causal (no looking ahead) plus padding keys masked, as an additive (B, 1, L, L) mask. */
    private NDArray attentionMask(NDArray sequences, NDManager step) {
        int length = config.maxLength();
        float[] causal = new float[length * length];
        for (int i = 0; i < length; i++) {
            for (int j = i + 1; j < length; j++) {
                causal[i * length + j] = MASKED;
            }
        }
        NDArray padKeys = sequences.eq(0).toType(DataType.FLOAT32, false).mul(MASKED)
                .reshape(sequences.getShape().get(0), 1, 1, length);
        return step.create(causal, new Shape(1, 1, length, length)).add(padKeys);
    }

    private NDArray heads(NDArray x, long batch, int length, int heads, int dh) {
        return x.reshape(batch, length, heads, dh).transpose(0, 2, 1, 3);
    }

    private NDArray linear(NDArray x, String name, NDManager step) {
        return x.matMul(params.get(name + ".weight")).add(params.get(name + ".bias"));
    }

    private NDArray layerNorm(NDArray x, String name, NDManager step) {
        return LayerNorm.layerNorm(x, new Shape(config.dim()), params.get(name + ".gamma"),
                params.get(name + ".beta"), 1e-5f).singletonOrThrow();
    }

    /** A parameter for use as a first operand: a view attached to the step, so results land there too. */
    private NDArray param(String name, NDManager step) {
        NDArray view = params.get(name).get(new NDIndex(":"));
        view.attach(step);
        return view;
    }

    /** The item embedding table, row after row ({@code rows() x dim}), copied out. */
    public float[] itemEmbeddings() {
        return params.get("items").toFloatArray();
    }

    /** A copy of every parameter's values, by name (for early stopping and checkpoints). */
    public Weights weights() {
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (var e : params.entrySet()) {
            values.put(e.getKey(), e.getValue().toFloatArray());
            shapes.put(e.getKey(), e.getValue().getShape().getShape());
        }
        return new Weights(values, shapes);
    }

    /** Overwrites the parameters with {@code weights} of the same shapes. */
    public void load(Weights weights) {
        GradMode.off(); // an in-place write to leaves that require grad; never part of a graph (any thread)
        for (var e : params.entrySet()) {
            float[] v = weights.values().get(e.getKey());
            if (v == null || !java.util.Arrays.equals(weights.shapes().get(e.getKey()), e.getValue().getShape().getShape())) {
                throw new IllegalArgumentException("weights do not fit parameter " + e.getKey());
            }
            // Copied in through indexing: set(float[]) would make the parameter's storage a Java buffer.
            try (NDArray values = manager.create(v, new Shape(weights.shapes().get(e.getKey())))) {
                e.getValue().set(new NDIndex(":"), values);
            }
        }
    }

    /** Parameter values by name with their shapes. */
    public record Weights(Map<String, float[]> values, Map<String, long[]> shapes) {
    }

    @Override
    public void close() {
        manager.close();
    }
}
