package dev.recsys.core.sasrec;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Weights frozen for serving: a model nobody trains, named by {@code version}. Reference counted, so that
 * a scorer still using a replaced snapshot keeps it alive and the last user frees its native memory.
 */
public final class ModelSnapshot {

    private final SasRecModel model;
    private final String version;
    private final long publishedAtMillis;
    /** Rows trained enough to stand for their item in an input sequence; null when every row is. */
    private final boolean[] mature;
    /** Item embeddings scaled to unit length, made on first use (similar items); zero rows stay zero. */
    private volatile float[] unitItems;
    /** The rows that are not {@link #mature}, made on first use (the engine masks them). */
    private volatile int[] untrained;
    /** Item embeddings as they are, made on first use (explanations). */
    private volatile float[] items;
    /** One reference belongs to whoever published it, until it is retired. */
    private final AtomicInteger references = new AtomicInteger(1);

    public ModelSnapshot(SasRecModel model, String version, long publishedAtMillis) {
        this(model, version, publishedAtMillis, null);
    }

    public ModelSnapshot(SasRecModel model, String version, long publishedAtMillis, boolean[] mature) {
        this.model = model;
        this.version = version;
        this.publishedAtMillis = publishedAtMillis;
        this.mature = mature;
    }

    /**
     * Whether a row's embedding may represent its item in a user's history. A row grown online starts at
     * zero and learns slowly; fed as the newest item of a history it blanks out what the model knows about
     * the user (measured in the replay: HR@10 a fifth of the frozen model's), so until trained it is left
     * out of inputs, as an unknown item is. It can still be recommended.
     */
    public boolean mature(int row) {
        return row > 0 && row < rows() && (mature == null || (row < mature.length && mature[row]));
    }

    /** Rows 1.. that are not {@link #mature}: computed once per snapshot, read by every scoring batch. */
    public int[] untrainedRows() {
        int[] u = untrained;
        if (u == null) {
            u = java.util.stream.IntStream.range(1, rows()).filter(r -> !mature(r)).toArray();
            untrained = u;
        }
        return u;
    }

    /** The item embeddings divided by their norms, row after row; computed once per snapshot. */
    public float[] unitItemEmbeddings() {
        float[] u = unitItems;
        if (u == null) {
            int d = model.config().dim();
            u = model.itemEmbeddings();
            for (int r = 0; r < u.length / d; r++) {
                double norm = 0;
                for (int i = r * d; i < (r + 1) * d; i++) {
                    norm += u[i] * u[i];
                }
                float scale = norm > 0 ? (float) (1 / Math.sqrt(norm)) : 0f;
                for (int i = r * d; i < (r + 1) * d; i++) {
                    u[i] *= scale;
                }
            }
            unitItems = u;
        }
        return u;
    }

    /** The item embeddings, row after row; copied out of the model once per snapshot. */
    public float[] itemEmbeddings() {
        float[] e = items;
        if (e == null) {
            e = items = model.itemEmbeddings();
        }
        return e;
    }

    public SasRecModel model() {
        return model;
    }

    /** Item rows this snapshot has embeddings for; a vocabulary may have grown past it since. */
    public int rows() {
        return model.rows();
    }

    public String version() {
        return version;
    }

    public long publishedAtMillis() {
        return publishedAtMillis;
    }

    /** Takes a reference; false once the snapshot has been freed. */
    boolean tryAcquire() {
        while (true) {
            int n = references.get();
            if (n == 0) {
                return false;
            }
            if (references.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives a reference back; the last one frees the model. */
    public void release() {
        if (references.decrementAndGet() == 0) {
            model.close();
        }
    }
}
