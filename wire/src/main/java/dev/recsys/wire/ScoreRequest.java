package dev.recsys.wire;

/** A request for the top {@code k} items for a user, sent on {@code score-requests}. */
public record ScoreRequest(String userId, int k, boolean excludeSeen) {
}
