package dev.recsys.wire;

import java.util.List;

/**
 * The worker's answer on {@code score-replies}.
 *
 * @param modelVersion which model answered, e.g. {@code popularity@1234} (events seen), so a client can tell
 *                     a fallback from a trained model
 */
public record ScoreReply(List<ScoredItem> items, String modelVersion) {
}
