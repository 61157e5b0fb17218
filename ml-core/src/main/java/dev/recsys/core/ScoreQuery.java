package dev.recsys.core;

import java.util.List;
import java.util.Set;

/**
 * What a scorer needs for one user: the recent sequence (oldest first), the items not to return, and how
 * many to return.
 */
public record ScoreQuery(String userId, List<String> sequence, Set<String> exclude, int k) {
}
