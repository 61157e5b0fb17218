package dev.recsys.core.state;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

import dev.recsys.core.PopularityScorer;
import dev.recsys.core.UserHistory;
import dev.recsys.core.sasrec.SasRecConfig;
import dev.recsys.core.sasrec.SasRecModel;
import dev.recsys.core.sasrec.SasRecTrainer;

/**
 * Everything the worker must get back after a restart, as of one cut in the feedback stream: the state
 * every applied event changed, the offsets that say which events those were, and the model.
 *
 * @param nextOffsets   per feedback partition, the offset of the first event NOT in this state
 * @param eventsApplied feedback events applied in all, over every restart
 * @param model         empty when popularity serves alone
 */
public record WorkerState(List<String> vocabulary, SortedMap<String, UserHistory.State> histories,
        PopularityScorer.State popularity, Map<Integer, Long> nextOffsets, long eventsApplied,
        Optional<ModelState> model) {

    /**
     * @param optimizer empty when the worker does not train
     */
    public record ModelState(SasRecConfig config, SasRecModel.Weights weights,
            Optional<SasRecTrainer.OptimizerState> optimizer, long trainingSteps) {
    }
}
