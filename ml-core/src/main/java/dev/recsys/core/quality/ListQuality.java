package dev.recsys.core.quality;

/**
 * The five measures of the lists given out in one stretch of the stream (docs/model.md gives each formula and
 * its source). NaN where a measure had nothing to measure (no genres known, no list after a user's event).
 *
 * @param lists          lists measured
 * @param outcomes       lists whose user's next positive item is known (accuracy's denominator)
 * @param hr10           share of those whose next item was in the top 10
 * @param ndcg10         mean of {@code 1 / log2(rank + 2)} for the next item in the top 10 (rank from 0), else 0
 * @param genreDistance  intra-list distance over genres: mean over pairs of {@code 1 - Jaccard(genres)}
 * @param vectorDistance intra-list distance over the model's item vectors: mean over pairs of {@code 1 - cos}
 * @param novelty        mean self-information of the items listed, in bits
 * @param coverage       distinct items listed over the catalogue's items
 * @param gini           Gini index of how often each catalogue item was listed (0 even, 1 one item only)
 * @param interactivity  Jaccard distance of a list from the same user's list before their own event
 * @param catalogue      the catalogue's size the coverage and Gini were taken over
 */
public record ListQuality(long lists, long outcomes, double hr10, double ndcg10, double genreDistance,
        double vectorDistance, double novelty, double coverage, double gini, double interactivity, int catalogue) {
}
