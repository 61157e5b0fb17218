package dev.recsys.core;

import java.util.List;
import java.util.Set;

/**
 * What a scorer needs for one user or session: the recent sequence (oldest first), which items it may
 * return, and how many; or, for a re-rank, the candidates to order (then {@code k} is not used).
 *
 * @param candidates null unless this is a re-rank
 * @param explain    each answered item should carry the sequence items that led to it
 */
public record ScoreQuery(String userId, List<String> sequence, ItemFilter filter, int k, List<String> candidates,
        boolean explain) {

    public ScoreQuery(String userId, List<String> sequence, ItemFilter filter, int k, List<String> candidates) {
        this(userId, sequence, filter, k, candidates, false);
    }

    /** The same query, asking for explanations or not. */
    public ScoreQuery explained(boolean explain) {
        return new ScoreQuery(userId, sequence, filter, k, candidates, explain);
    }

    /** Top {@code k} minus {@code exclude}, with no catalogue filter. */
    public ScoreQuery(String userId, List<String> sequence, Set<String> exclude, int k) {
        this(userId, sequence, ItemFilter.excluding(exclude), k, null);
    }

    public boolean rerank() {
        return candidates != null;
    }
}
