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
        if (maxLength < 2 || dim < 1 || heads < 1 || dim % heads != 0 || blocks < 1 || batchSize < 1
                || negatives < 0 || dropout < 0 || dropout >= 1 || !(learningRate > 0)) {
            throw new IllegalArgumentException("invalid SASRec config: " + this);
        }
    }

    /**
     * The best of the settings tried on MovieLens ml-latest-small (README): longer histories and more
     * dropout beat SASRec's original 50 items and 0.2 on so small a dataset.
     */
    public static SasRecConfig defaults() {
        return new SasRecConfig(200, 64, 1, 2, 0.3f, 2e-3f, 32, 0, 42);
    }

    public SasRecConfig withDropout(float rate) {
        return new SasRecConfig(maxLength, dim, heads, blocks, rate, learningRate, batchSize, negatives, seed);
    }

    public SasRecConfig withLearningRate(float rate) {
        return new SasRecConfig(maxLength, dim, heads, blocks, dropout, rate, batchSize, negatives, seed);
    }

    public SasRecConfig withSeed(long newSeed) {
        return new SasRecConfig(maxLength, dim, heads, blocks, dropout, learningRate, batchSize, negatives, newSeed);
    }
}
