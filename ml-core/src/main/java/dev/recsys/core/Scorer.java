package dev.recsys.core;

import java.util.List;

/**
 * Ranks the catalogue for a batch of users in one pass. Implementations are safe to call from one scoring
 * thread while feedback is being recorded on another.
 */
public interface Scorer {

    /** One answer per query, in the order of the queries. */
    List<Recommendations> score(List<ScoreQuery> queries);
}
