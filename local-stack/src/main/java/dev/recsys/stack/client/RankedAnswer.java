package dev.recsys.stack.client;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A recommend answer as two processes should agree on it: the items, their scores and the model version.
 * Used to check serving shards against one worker given the same weights and events.
 */
public record RankedAnswer(List<String> items, List<Double> scores, String modelVersion) {

    /** Float noise between two processes (different row orders, different matrix shapes). */
    public static final double NOISE = 1e-4;
    private static final ObjectMapper JSON = new ObjectMapper();

    public static RankedAnswer parse(byte[] body) throws IOException {
        JsonNode answer = JSON.readTree(body);
        List<String> items = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        for (JsonNode item : answer.path("items")) {
            items.add(item.path("itemId").asText());
            scores.add(item.path("score").asDouble());
        }
        return new RankedAnswer(items, scores, answer.path("modelVersion").asText());
    }

    /**
     * Why {@code other} is not the same ranking, or empty: the same model version and scores rank by rank
     * within {@link #NOISE}, and an item in one answer but not the other only where it ties (within that
     * noise) with the last one kept; which of tied items make the cut follows each process's row order.
     */
    public Optional<String> differenceFrom(RankedAnswer other) {
        String both = this + " vs " + other;
        if (!modelVersion.equals(other.modelVersion) || items.size() != other.items.size()) {
            return Optional.of("model or length: " + both);
        }
        for (int i = 0; i < items.size(); i++) {
            if (Math.abs(scores.get(i) - other.scores.get(i)) > NOISE) {
                return Optional.of("score at rank " + i + ": " + both);
            }
            int j = other.items.indexOf(items.get(i));
            double kept = j >= 0 ? other.scores.get(j) : scores.get(items.size() - 1);
            if (Math.abs(scores.get(i) - kept) > NOISE) {
                return Optional.of(items.get(i) + (j >= 0 ? " scored otherwise" : " only here, not tied at the cut")
                        + ": " + both);
            }
        }
        return Optional.empty();
    }
}
