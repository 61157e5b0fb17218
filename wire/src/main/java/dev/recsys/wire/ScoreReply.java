package dev.recsys.wire;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The worker's answer on {@code score-replies}.
 *
 * @param modelVersion     which model answered, e.g. {@code popularity@1234} (events seen), so a client can
 *                         tell a fallback from a trained model
 * @param count            how many items there are; fewer than asked when the filters leave fewer
 * @param coldStart        the model knew nothing of the user or session, so popular items answered
 * @param hiddenCandidates re-rank only: candidates left out because they are hidden; null otherwise
 * @param error            why the worker could not answer (the rest is then empty); null on success
 * @param behind           true when the answer may miss the user's newest events: the worker had not applied
 *                         everything accepted before the request within its bound
 *                         ({@code worker.scoring.read-your-writes-wait}); null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScoreReply(List<ScoredItem> items, String modelVersion, int count, boolean coldStart,
        List<String> hiddenCandidates, Error error, Boolean behind) {

    public ScoreReply {
        items = items == null ? List.of() : items;
        count = items.size();
    }

    public ScoreReply(List<ScoredItem> items, String modelVersion, int count, boolean coldStart,
            List<String> hiddenCandidates, Error error) {
        this(items, modelVersion, count, coldStart, hiddenCandidates, error, null);
    }

    /** This answer, marked as possibly missing the user's newest events. */
    public ScoreReply markedBehind() {
        return new ScoreReply(items, modelVersion, count, coldStart, hiddenCandidates, error, Boolean.TRUE);
    }

    public ScoreReply(List<ScoredItem> items, String modelVersion) {
        this(items, modelVersion, 0, false, null, null);
    }

    public static ScoreReply failed(Error error) {
        return new ScoreReply(List.of(), null, 0, false, null, error);
    }

    /**
     * @param code  {@code not-found} (the item is unknown to the model), {@code invalid} (the request breaks
     *              the wire rules: a client wrote it to the topic by hand), {@code unavailable} (the worker
     *              cannot answer this kind now, e.g. no trained model, or it is still starting) or
     *              {@code internal} (the worker failed on this request)
     * @param field the request field at fault, or null
     */
    public record Error(String code, String field, String message) {
        public static final String NOT_FOUND = "not-found";
        public static final String INVALID = "invalid";
        public static final String UNAVAILABLE = "unavailable";
        public static final String INTERNAL = "internal";
    }
}
