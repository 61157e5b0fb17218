package dev.recsys.stack;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.eval.Dataset.Interaction;
import dev.recsys.core.sasrec.PyTorchEngine;
import dev.recsys.core.sasrec.SasRecCheckpoint;
import dev.recsys.core.sasrec.SasRecConfig;
import dev.recsys.core.sasrec.SasRecModel;
import dev.recsys.core.sasrec.SasRecTrainer;

/**
 * The model both Transformer variants start from: SASRec trained offline on the warm part's positive
 * events (what the worker's sequences hold), saved as a checkpoint the worker loads.
 */
final class WarmStart {

    private WarmStart() {
    }

    static Path train(ReplayData data, int epochs, Path dir, Path djlCache) throws IOException {
        PyTorchEngine.load(djlCache, Math.max(1, Runtime.getRuntime().availableProcessors()));
        Map<String, List<String>> byUser = new LinkedHashMap<>();
        for (Interaction i : data.warm) {
            if (data.positive(i)) {
                byUser.computeIfAbsent(i.user(), u -> new ArrayList<>()).add(i.item());
            }
        }
        ItemVocabulary vocabulary = new ItemVocabulary();
        List<int[]> sequences = new ArrayList<>();
        for (List<String> items : byUser.values()) {
            sequences.add(items.stream().mapToInt(vocabulary::add).toArray());
        }
        SasRecConfig config = SasRecConfig.defaults();
        List<int[]> windows = SasRecTrainer.windows(sequences, config.maxLength());
        System.out.printf(Locale.ROOT, "warm start: %d users, %d items, %d training windows, %d epochs%n",
                sequences.size(), vocabulary.rows() - 1, windows.size(), epochs);
        try (SasRecModel model = SasRecModel.create(config, vocabulary.rows())) {
            SasRecTrainer trainer = new SasRecTrainer(model);
            for (int e = 1; e <= epochs; e++) {
                long t0 = System.nanoTime();
                double loss = trainer.epoch(windows, SasRecTrainer.ProgressListener.NONE);
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "\r  epoch %d/%d loss %.3f (%.0f sequences/s)   ", e, epochs, loss,
                        windows.size() / seconds);
            }
            System.out.println();
            SasRecCheckpoint.save(dir, model, vocabulary);
        }
        return dir;
    }
}
