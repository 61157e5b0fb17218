package dev.recsys.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One item of an answer.
 *
 * @param score   the model's score; null for a re-rank candidate the model does not know
 * @param unknown re-rank only: true for a candidate the model has no score for (placed last); null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScoredItem(String itemId, Double score, Boolean unknown) {

    public ScoredItem(String itemId, double score) {
        this(itemId, Double.valueOf(score), null);
    }

    /** A re-rank candidate the model cannot score. */
    public static ScoredItem unknown(String itemId) {
        return new ScoredItem(itemId, null, Boolean.TRUE);
    }
}
