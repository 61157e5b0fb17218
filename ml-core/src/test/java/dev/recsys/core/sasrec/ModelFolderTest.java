package dev.recsys.core.sasrec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.recsys.core.ItemVocabulary;

class ModelFolderTest {

    @TempDir
    Path dir;

    @Test
    void savedAndLoadedModelsScoreIdentically() throws Exception {
        ItemVocabulary vocab = ItemVocabulary.of(List.of("a", "b", "c", "d", "e"));
        try (SasRecModel model = SasRecModel.create(SasRecModelTest.SMALL, vocab.rows())) {
            new SasRecTrainer(model).step(List.of(new int[] { 1, 2, 3 }, new int[] { 2, 4, 5 }));
            float[][] before = SasRecInference.scores(model, List.of(new int[] { 1, 2 }, new int[] { 5 }));
            ModelFolder.save(dir, model, vocab);
            ModelFolder.Loaded loaded = ModelFolder.load(dir);
            try (SasRecModel again = loaded.model()) {
                assertEquals(model.config(), again.config());
                assertEquals(vocab.items(), loaded.vocabulary().items());
                float[][] after = SasRecInference.scores(again, List.of(new int[] { 1, 2 }, new int[] { 5 }));
                assertArrayEquals(before[0], after[0]);
                assertArrayEquals(before[1], after[1]);
            }
        }
    }

    @Test
    void theFitsNewestEventTimeTravelsWithTheFolderAndIsForgottenWhenSavedOverWithout() throws Exception {
        ItemVocabulary vocab = ItemVocabulary.of(List.of("a", "b"));
        SasRecModel.Weights w = SasRecModel.initialWeights(SasRecModelTest.SMALL, vocab.rows());
        ModelFolder.save(dir, SasRecModelTest.SMALL, w, vocab);
        assertEquals(ModelFolder.UNKNOWN, ModelFolder.load(dir).fittedThroughMillis());
        ModelFolder.save(dir, SasRecModelTest.SMALL, w, vocab, 978_300_760_000L);
        assertEquals(978_300_760_000L, ModelFolder.load(dir).fittedThroughMillis());
        ModelFolder.save(dir, SasRecModelTest.SMALL, w, vocab);
        assertEquals(ModelFolder.UNKNOWN, ModelFolder.load(dir).fittedThroughMillis());

        java.nio.file.Files.writeString(dir.resolve("fitted.json"), "{\"fittedThroughMillis\":\"soon\"}");
        IOException e = assertThrows(IOException.class, () -> ModelFolder.load(dir));
        assertTrue(e.getMessage().contains("fittedThroughMillis"), e.getMessage());
    }

    @Test
    void weightsFromBeforeTheInputScalingAreRefusedNotMisScored() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelFolder.writeWeights(SasRecModel.initialWeights(SasRecModelTest.SMALL, 4), out);
        byte[] bytes = out.toByteArray();
        assertEquals(SasRecModel.initialWeights(SasRecModelTest.SMALL, 4).values().keySet(),
                ModelFolder.readWeights(new ByteArrayInputStream(bytes), "new").values().keySet());
        bytes[3] = 'R'; // the tag the unscaled model's weights were written with: "SASR"
        IOException e = assertThrows(IOException.class,
                () -> ModelFolder.readWeights(new ByteArrayInputStream(bytes), "old weights.bin"));
        assertTrue(e.getMessage().contains("old weights.bin") && e.getMessage().contains("train it again"),
                e.getMessage());
        bytes[0] = 'X';
        assertThrows(IOException.class, () -> ModelFolder.readWeights(new ByteArrayInputStream(bytes), "x"));
    }
}
