package dev.recsys.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One item of an answer.
 *
 * @param score   the model's score; null for a re-rank candidate the model does not know
 * @param unknown re-rank only: true for a candidate the model has no score for (placed last); null otherwise
 * @param because with {@code explain}: the history items that led to this one, largest share first (empty
 *                when nothing in the history did, e.g. a popular item filling the list); null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScoredItem(String itemId, Double score, Boolean unknown, java.util.List<Evidence> because) {

    public ScoredItem(String itemId, Double score, Boolean unknown) {
        this(itemId, score, unknown, null);
    }

    public ScoredItem(String itemId, double score) {
        this(itemId, Double.valueOf(score), null, null);
    }

    /** This item with its evidence. */
    public ScoredItem explained(java.util.List<Evidence> evidence) {
        return new ScoredItem(itemId, score, unknown, java.util.List.copyOf(evidence));
    }

    /** A re-rank candidate the model cannot score. */
    public static ScoredItem unknown(String itemId) {
        return new ScoredItem(itemId, null, Boolean.TRUE);
    }
}
