package dev.recsys.wire;

/**
 * One item of the user's history and its share in why an item was recommended (see {@link ScoredItem#because()}).
 *
 * @param share in (0, 1]; an item's evidence shares sum to at most 1
 */
public record Evidence(String itemId, double share) {
}
