package dev.recsys.core;

import java.util.List;

import dev.recsys.wire.ScoredItem;

/**
 * A scorer's answer to one {@link ScoreQuery}: best first.
 *
 * @param coldStart the sequence held nothing the model could use, so popularity answered
 */
public record Recommendations(List<ScoredItem> items, String modelVersion, boolean coldStart) {

    public Recommendations(List<ScoredItem> items, String modelVersion) {
        this(items, modelVersion, false);
    }
}
