package dev.recsys.core.sasrec;

import java.util.List;

/**
 * What runs a snapshot's forward pass: PyTorch (the default, {@link #PYTORCH}) or another engine given the
 * same weights (the TensorFlow backend in {@code tf-scorer}). Training always stays on PyTorch.
 */
@FunctionalInterface
public interface ScoringBackend {

    ScoringBackend PYTORCH = (snapshot, histories) -> SasRecInference.scores(snapshot.model(), histories);

    /** One score per item row of the snapshot for each history (item rows in time order). */
    float[][] scores(ModelSnapshot snapshot, List<int[]> histories);
}
