package dev.recsys.tensorflow;

import java.util.List;

import dev.recsys.core.sasrec.ModelSnapshot;
import dev.recsys.core.sasrec.ScoringBackend;

/**
 * Scores with TensorFlow from whatever snapshot serving hands over: the first pass on a new snapshot builds
 * its graph from the snapshot's weights (and frees the previous graph), so a published snapshot is taken
 * up exactly as the PyTorch scorer takes it up, one whole snapshot per pass.
 */
public final class TensorFlowBackend implements ScoringBackend, AutoCloseable {

    private ModelSnapshot current;
    private TfSasRecGraph graph;

    @Override
    public synchronized float[][] scores(ModelSnapshot snapshot, List<int[]> histories) {
        if (snapshot != current) {
            TfSasRecGraph next = new TfSasRecGraph(snapshot.model().config(), snapshot.model().weights());
            if (graph != null) {
                graph.close();
            }
            graph = next;
            current = snapshot;
        }
        return graph.scores(histories);
    }

    @Override
    public synchronized void close() {
        if (graph != null) {
            graph.close();
            graph = null;
            current = null;
        }
    }
}
