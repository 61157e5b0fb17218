package dev.recsys.core.sasrec;

import java.util.List;

/**
 * What a batch asks of the engine instead of every score: per history, the {@code k} best rows it may return
 * (its {@link RowMask}), and the scores of a few named rows (those an item-to-item table votes for), so that
 * only about k rows per history cross from the device to the host.
 *
 * @param k         rows to select per history (the batch's largest k)
 * @param masks     per history, what it may return
 * @param named     per history, rows whose score is wanted whether selected or not (may be empty)
 * @param untrained rows whose model score means nothing yet: never selected, left out of the normaliser, and
 *                  named ones scored minus infinity
 * @param normalise whether the answer carries each history's softmax normaliser over the trained rows
 */
public record CandidateRequest(int k, List<RowMask> masks, List<int[]> named, int[] untrained, boolean normalise) {

    /**
     * The rows one history may return: those in {@code only} (every row when null) that are not
     * {@code blocked}. Row 0, padding, is never returned.
     */
    public record RowMask(int[] blocked, int[] only) {
    }
}
