package dev.recsys.core.checkpoint;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

import dev.recsys.core.AppliedEventIds;
import dev.recsys.core.ForgottenUsers;
import dev.recsys.core.PopularityScorer;
import dev.recsys.core.UserHistory;
import dev.recsys.core.neighbours.ItemNeighbours;
import dev.recsys.core.sasrec.ModelFolder;
import dev.recsys.core.sasrec.OptimizerState;
import dev.recsys.core.sasrec.SasRecConfig;
import dev.recsys.core.sasrec.SasRecModel;

/**
 * Everything the worker must get back after a restart, as of one cut in the feedback stream: the state
 * every applied event changed, the offsets that say which events those were, and the model.
 *
 * @param nextOffsets   per feedback partition, the offset of the first event NOT in this state
 * @param eventsApplied feedback events applied in all, over every restart
 * @param model         empty when popularity serves alone
 * @param itemTables    the item-to-item tables by name ({@code cooccurrence}, {@code markov}); empty in a
 *                      checkpoint written before the worker kept them
 * @param eventIds      the (user, eventId) pairs applied recently, so that a retry after a restart is still
 *                      recognised; empty in a checkpoint written before the worker kept them
 * @param forgotten     tombstones of forgotten users: written empty since forgets go by the log's order;
 *                      read (and dropped) from older checkpoints
 * @param catalogue     the item catalogue and how far into the {@code items} topic it goes; empty in a
 *                      checkpoint written before the worker kept it (the catalogue is then read from the
 *                      topic's start)
 */
public record CheckpointImage(List<String> vocabulary, SortedMap<String, UserHistory.Image> histories,
        PopularityScorer.Image popularity, Map<Integer, Long> nextOffsets, long eventsApplied,
        Optional<ModelState> model, Map<String, ItemNeighbours.Image> itemTables, AppliedEventIds.Image eventIds,
        ForgottenUsers.Image forgotten, Optional<CatalogueState> catalogue) {

    public CheckpointImage(List<String> vocabulary, SortedMap<String, UserHistory.Image> histories,
            PopularityScorer.Image popularity, Map<Integer, Long> nextOffsets, long eventsApplied,
            Optional<ModelState> model, Map<String, ItemNeighbours.Image> itemTables, AppliedEventIds.Image eventIds,
            ForgottenUsers.Image forgotten) {
        this(vocabulary, histories, popularity, nextOffsets, eventsApplied, model, itemTables, eventIds, forgotten,
                Optional.empty());
    }

    /**
     * The catalogue as the worker applied it, so that a restart does not depend on what compaction left of
     * the topic: a refused record that became its key's newest cannot un-hide or remove an item.
     *
     * @param items       every entry, as applied
     * @param nextOffsets per {@code items} partition, the offset of the first update not in {@code items}
     */
    public record CatalogueState(List<dev.recsys.wire.ItemUpdate> items, Map<Integer, Long> nextOffsets) {
    }

    public CheckpointImage(List<String> vocabulary, SortedMap<String, UserHistory.Image> histories,
            PopularityScorer.Image popularity, Map<Integer, Long> nextOffsets, long eventsApplied,
            Optional<ModelState> model, Map<String, ItemNeighbours.Image> itemTables, AppliedEventIds.Image eventIds) {
        this(vocabulary, histories, popularity, nextOffsets, eventsApplied, model, itemTables, eventIds,
                ForgottenUsers.Image.EMPTY);
    }

    /** A state without item tables or event ids. */
    public CheckpointImage(List<String> vocabulary, SortedMap<String, UserHistory.Image> histories,
            PopularityScorer.Image popularity, Map<Integer, Long> nextOffsets, long eventsApplied,
            Optional<ModelState> model) {
        this(vocabulary, histories, popularity, nextOffsets, eventsApplied, model, Map.of(),
                AppliedEventIds.Image.EMPTY);
    }

    /**
     * @param optimizer    empty when the worker does not train
     * @param startingRows item rows the model was trained with offline; rows past them were grown online and
     *                     stand for their items in histories only once trained enough (0: every row does)
     */
    /**
     * @param fittedThroughMillis the newest event time its last full fit was trained on (the blend's probe
     *                            takes no evidence from older events), {@link ModelFolder#UNKNOWN} when not known
     */
    public record ModelState(SasRecConfig config, SasRecModel.Weights weights,
            Optional<OptimizerState> optimizer, long trainingSteps, int startingRows, long fittedThroughMillis) {

        /**
         * The model cut to {@code rows} item rows. Training runs beside the consumer, so the weights in a
         * checkpoint may already have rows for items that arrived after the state's cut; replayed after a
         * restart, those items may come back in another order and take other rows, so their young rows go.
         */
        public ModelState fitTo(int rows) {
            int d = config.dim();
            long[] shape = weights.shapes().get("items");
            if (shape[0] <= rows) {
                return this;
            }
            java.util.Map<String, float[]> values = new java.util.LinkedHashMap<>(weights.values());
            java.util.Map<String, long[]> shapes = new java.util.LinkedHashMap<>(weights.shapes());
            values.put("items", java.util.Arrays.copyOf(values.get("items"), rows * d));
            shapes.put("items", new long[] { rows, d });
            Optional<OptimizerState> cutOptimizer = optimizer.map(o -> {
                java.util.Map<String, float[][]> moments = new java.util.LinkedHashMap<>(o.moments());
                float[][] items = moments.get("items");
                if (items != null) {
                    moments.put("items", new float[][] { java.util.Arrays.copyOf(items[0], rows * d),
                            java.util.Arrays.copyOf(items[1], rows * d) });
                }
                return new OptimizerState(o.steps(), moments);
            });
            return new ModelState(config, new SasRecModel.Weights(values, shapes), cutOptimizer, trainingSteps,
                    Math.min(startingRows, rows), fittedThroughMillis);
        }
    }
}
