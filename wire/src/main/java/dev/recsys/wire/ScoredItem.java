package dev.recsys.wire;

public record ScoredItem(String itemId, double score) {
}
