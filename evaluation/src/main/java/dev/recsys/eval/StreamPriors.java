package dev.recsys.eval;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.PopularityScorer;
import dev.recsys.core.neighbours.ItemTables;
import dev.recsys.core.neighbours.NeighbourScorer;
import dev.recsys.core.sasrec.SasRecTrainer;
import dev.recsys.core.sasrec.TablePrior;
import dev.recsys.eval.Dataset.Interaction;

/**
 * The co-occurrence table's prior for every positive event of a timeline, as the table stood just before
 * that event (built in time order): what a model trained on top of the table sees in the stream. The table
 * as it ends would hold each target's own link to the items before it and teach the model to trust it.
 */
final class StreamPriors implements SasRecTrainer.TargetPrior {

    private final Map<int[], TablePrior.Sparse[]> bySequence = new IdentityHashMap<>();

    private StreamPriors() {
    }

    /** @param sequences each user's rows of {@code byUser}'s items, in the same order */
    static StreamPriors of(List<Interaction> timeline, Predicate<Interaction> positive,
            Map<String, List<String>> byUser, List<int[]> sequences, ItemVocabulary vocabulary) {
        ItemTables tables = ItemTables.standard();
        NeighbourScorer cooccurrence = NeighbourScorer.cooccurrence(tables.cooccurrence(), new PopularityScorer(3650 * 86_400_000.0, 0));
        Map<String, List<String>> sofar = new java.util.HashMap<>();
        Map<String, List<TablePrior.Sparse>> priors = new java.util.HashMap<>();
        for (Interaction i : timeline) {
            if (!positive.test(i)) {
                continue;
            }
            List<String> before = sofar.computeIfAbsent(i.user(), u -> new ArrayList<>());
            priors.computeIfAbsent(i.user(), u -> new ArrayList<>())
                    .add(TablePrior.of(cooccurrence.distribution(before), vocabulary::row));
            tables.observe(before, i.item());
            before.add(i.item());
        }
        StreamPriors out = new StreamPriors();
        int u = 0;
        for (String user : byUser.keySet()) {
            out.bySequence.put(sequences.get(u++), priors.get(user).toArray(TablePrior.Sparse[]::new));
        }
        return out;
    }

    /** Each sequence's newest window, as {@link SasRecTrainer#newestWindows}, keeping its priors. */
    static List<int[]> newestWindows(List<int[]> sequences, int maxLength, SasRecTrainer.TargetPrior prior) {
        StreamPriors p = (StreamPriors) prior;
        List<int[]> out = new ArrayList<>();
        for (int[] s : sequences) {
            if (s.length >= 2) {
                int from = Math.max(0, s.length - (maxLength + 1));
                int[] w = java.util.Arrays.copyOfRange(s, from, s.length);
                TablePrior.Sparse[] all = p.bySequence.get(s);
                p.bySequence.put(w, java.util.Arrays.copyOfRange(all, from, s.length));
                out.add(w);
            }
        }
        return out;
    }

    @Override
    public void add(int[] sequence, int target, float[] logits, int from, int rows) {
        TablePrior.Sparse[] priors = bySequence.get(sequence);
        if (priors != null) {
            priors[target].addTo(logits, from, rows);
        }
    }
}
