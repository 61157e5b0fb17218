package dev.recsys.core.sasrec;

import java.util.List;

/**
 * What runs a snapshot's forward pass: PyTorch (the default, {@link #PYTORCH}) or another engine given the
 * same weights (the TensorFlow backend in {@code tf-scorer}). Training always stays on PyTorch.
 */
public interface ScoringBackend {

    /** DJL's PyTorch engine: masks and selects on the model's device ({@link SasRecInference#candidates}). */
    ScoringBackend PYTORCH = new ScoringBackend() {
        @Override
        public float[][] scores(ModelSnapshot snapshot, List<int[]> histories) {
            return SasRecInference.scores(snapshot.model(), histories);
        }

        @Override
        public Candidates candidates(ModelSnapshot snapshot, List<int[]> histories, CandidateRequest request) {
            return SasRecInference.candidates(snapshot.model(), histories, request);
        }
    };

    /** One score per item row of the snapshot for each history (item rows in time order). */
    float[][] scores(ModelSnapshot snapshot, List<int[]> histories);

    /**
     * The request's rows per history. By default from every score on the host; an engine that can mask and
     * select where the model lives overrides it so that only those rows cross.
     */
    default Candidates candidates(ModelSnapshot snapshot, List<int[]> histories, CandidateRequest request) {
        return Candidates.fromScores(scores(snapshot, histories), request);
    }
}
