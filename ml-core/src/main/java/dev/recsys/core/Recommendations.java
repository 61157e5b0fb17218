package dev.recsys.core;

import java.util.List;

import dev.recsys.wire.ScoredItem;

/** A scorer's answer to one {@link ScoreQuery}: best first. */
public record Recommendations(List<ScoredItem> items, String modelVersion) {
}
