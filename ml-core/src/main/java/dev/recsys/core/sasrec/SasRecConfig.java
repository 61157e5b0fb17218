package dev.recsys.core.sasrec;

/**
 * SASRec hyper-parameters (Kang and McAuley 2018), with the full-softmax loss of SASRec+ (Klenitskiy and
 * Vasilev 2023) unless {@code negatives} asks for a sampled softmax.
 *
 * @param maxLength    items of history the model reads (the last ones)
 * @param dim          embedding and hidden size
 * @param heads        attention heads; must divide {@code dim}
 * @param blocks       Transformer blocks
 * @param dropout      dropout rate while training
 * @param learningRate Adam's step size (beta1 0.9, beta2 0.999, eps 1e-8)
 * @param batchSize    sequences per training step
 * @param negatives    0 for a full softmax over the catalogue, else this many shared uniform negatives
 * @param seed         initialisation, dropout and shuffling
 */
public record SasRecConfig(int maxLength, int dim, int heads, int blocks, float dropout, float learningRate,
        int batchSize, int negatives, long seed) {

    public SasRecConfig {
        // Named one by one: inside this constructor the fields are not assigned yet, so this.toString()
        // would print zeros instead of the values refused.
        require(maxLength >= 2, "maxLength", maxLength, "at least 2");
        require(dim >= 1, "dim", dim, "at least 1");
        require(heads >= 1 && dim % heads == 0, "heads", heads, "at least 1 and a divisor of dim " + dim);
        require(blocks >= 1, "blocks", blocks, "at least 1");
        require(dropout >= 0 && dropout < 1, "dropout", dropout, "in [0, 1)");
        require(learningRate > 0, "learningRate", learningRate, "above 0");
        require(batchSize >= 1, "batchSize", batchSize, "at least 1");
        require(negatives >= 0, "negatives", negatives, "0 (full softmax) or more");
    }

    private static void require(boolean ok, String field, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(
                    "invalid SASRec config: " + field + " is " + value + ", must be " + rule);
        }
    }

    /**
     * The default shape, the one the worker trains: SASRec's own for MovieLens-1M (two blocks, dropout 0.2) with
     * 200 items of history. On the dense ml-1m-prefix it ranks the stream 1.16x the co-occurrence table where
     * one block with dropout 0.5 (measured best on the sparse ml-latest-small) gave 1.12x; on ml-latest-small
     * the served blend's gate keeps the table either way (docs/results/2026-12-07-two-blocks.md).
     */
    public static SasRecConfig defaults() {
        return new SasRecConfig(200, 64, 1, 2, 0.2f, 2e-3f, 32, 0, 42);
    }

    public SasRecConfig withDropout(float rate) {
        return new SasRecConfig(maxLength, dim, heads, blocks, rate, learningRate, batchSize, negatives, seed);
    }

    public SasRecConfig withLearningRate(float rate) {
        return new SasRecConfig(maxLength, dim, heads, blocks, dropout, rate, batchSize, negatives, seed);
    }

    public SasRecConfig withBlocks(int count) {
        return new SasRecConfig(maxLength, dim, heads, count, dropout, learningRate, batchSize, negatives, seed);
    }

    public SasRecConfig withSeed(long newSeed) {
        return new SasRecConfig(maxLength, dim, heads, blocks, dropout, learningRate, batchSize, negatives, newSeed);
    }
}
