package dev.recsys.core.sasrec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.recsys.core.Explanations;
import dev.recsys.core.ItemVocabulary;
import dev.recsys.wire.ScoredItem;

/**
 * Why the Transformer (or its blend with the co-occurrence table) ranked an item for a history: each history
 * item's part of the item's score along the last block's attention path (SasRecInference#scoresWithPaths),
 * positive parts as shares; blended, the model's shares and the table's weighed by what each side gave the
 * item's mixed probability. An approximation: the residual stream and the feed-forward layer are left out.
 */
final class ModelExplainer {

    private final ModelSnapshot snapshot;
    private final ItemVocabulary vocabulary;
    private final NeighbourBlend blend;

    /** @param blend null when the model ranks alone */
    ModelExplainer(ModelSnapshot snapshot, ItemVocabulary vocabulary, NeighbourBlend blend) {
        this.snapshot = snapshot;
        this.vocabulary = vocabulary;
        this.blend = blend;
    }

    /**
     * @param history  the rows the model read, oldest first
     * @param sequence the user's items as the table reads them
     * @param logits   the model's scores; {@code ranked} the final scores the items were ranked by
     * @param paths    the history's attention paths, {@code length * dim}
     */
    List<ScoredItem> explain(List<ScoredItem> items, int[] history, List<String> sequence, float[] logits,
            float[] ranked, float[] paths, int length) {
        float[] model = blend == null ? null : NeighbourBlend.softmax(logits, snapshot::mature, ranked.length);
        double w = blend == null ? 0 : blend.weight(sequence.size());
        List<ScoredItem> out = new ArrayList<>(items.size());
        for (ScoredItem item : items) {
            int row = vocabulary.row(item.itemId());
            if (Boolean.TRUE.equals(item.unknown()) || row <= 0 || row >= ranked.length) {
                out.add(item);
                continue;
            }
            Map<String, Double> parts = modelParts(row, history, paths, length);
            double positive = parts.values().stream().mapToDouble(c -> Math.max(0, c)).sum();
            if (blend == null) {
                out.add(item.explained(Explanations.of(parts, positive)));
                continue;
            }
            // Mixed: (1 - w) * p_model + w * p_table; each side's evidence in proportion to what it gave.
            double fromModel = (1 - w) * model[row];
            double fromTable = Math.max(0, ranked[row] - fromModel);
            Map<String, Double> table = blend.tableContributions(sequence, item.itemId());
            double tableSum = table.values().stream().mapToDouble(Double::doubleValue).sum();
            Map<String, Double> mixed = Explanations.mix(parts, positive > 0 ? fromModel / positive : 0, table,
                    tableSum > 0 ? fromTable / tableSum : 0);
            out.add(item.explained(Explanations.of(mixed, ranked[row])));
        }
        return out;
    }

    /** Each history item's part of {@code row}'s score along the attention path (an item read twice adds up). */
    private Map<String, Double> modelParts(int row, int[] history, float[] paths, int length) {
        float[] items = snapshot.itemEmbeddings();
        int d = snapshot.model().config().dim();
        int take = Math.min(history.length, length);
        Map<String, Double> parts = new LinkedHashMap<>();
        for (int i = 0; i < take; i++) {
            int position = length - take + i;
            double c = 0;
            for (int j = 0; j < d; j++) {
                c += paths[position * d + j] * items[row * d + j];
            }
            parts.merge(vocabulary.itemId(history[history.length - take + i]), c, Double::sum);
        }
        return parts;
    }
}
