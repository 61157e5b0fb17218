package dev.recsys.core.sasrec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.UserHistories;

/**
 * Builds one online step's batch: the touched users' sequences, trained on their new transitions only,
 * plus random prefixes of users drawn from the rehearsal buffer.
 */
final class OnlineBatches {

    /** Sequences with how many of their last transitions to train, and the touched events' ingest times. */
    record Batch(List<int[]> sequences, int[] targets, List<Long> ingested, int touched) {
    }

    private final UserHistories histories;
    private final ItemVocabulary vocabulary;
    private final RehearsalBuffer rehearsal;
    private final OnlineTrainingConfig config;
    private final Random random;

    OnlineBatches(UserHistories histories, ItemVocabulary vocabulary, RehearsalBuffer rehearsal, OnlineTrainingConfig config,
            Random random) {
        this.histories = histories;
        this.vocabulary = vocabulary;
        this.rehearsal = rehearsal;
        this.config = config;
        this.random = random;
    }

    /** @param rows the model's item rows: items past them are left out of the sequences */
    Batch build(Map<String, List<Long>> touched, int rows) {
        List<int[]> sequences = new ArrayList<>();
        List<Integer> targets = new ArrayList<>();
        List<Long> ingested = new ArrayList<>();
        for (var e : touched.entrySet()) {
            Optional<int[]> s = sequence(e.getKey(), rows);
            if (s.isPresent()) {
                sequences.add(s.get());
                // Only the transitions to the new events: a user in a long session is touched again and
                // again, and re-training its older transitions each time overfits the model to whoever is
                // active (measured in the rehearsal: HR@10 fell to a quarter of the frozen model's).
                targets.add(Math.min(e.getValue().size(), config.lastTargets()));
                ingested.addAll(e.getValue());
            }
        }
        int touchedSequences = sequences.size();
        Set<String> drawn = new HashSet<>(touched.keySet());
        for (int i = 0; i < config.rehearsalPerStep(); i++) {
            Optional<String> user = rehearsal.sample();
            if (user.isPresent() && drawn.add(user.get())) {
                // A random prefix, so that rehearsal revisits every part of old histories, not only their ends.
                Optional<int[]> s = sequence(user.get(), rows)
                        .map(all -> Arrays.copyOf(all, 2 + random.nextInt(all.length - 1)));
                if (s.isPresent()) {
                    sequences.add(s.get());
                    targets.add(config.lastTargets());
                }
            }
        }
        return new Batch(sequences, targets.stream().mapToInt(Integer::intValue).toArray(), ingested,
                touchedSequences);
    }

    /** The user's positive items as rows the model has, oldest first; empty if fewer than two. */
    private Optional<int[]> sequence(String user, int rows) {
        int[] s = histories.snapshot(user).sequence().stream().mapToInt(vocabulary::row)
                .filter(r -> r > 0 && r < rows).toArray();
        return s.length < 2 ? Optional.empty() : Optional.of(s);
    }
}
