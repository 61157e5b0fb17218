package dev.recsys.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.recsys.core.sasrec.ModelFolder;
import dev.recsys.core.sasrec.PyTorchEngine;
import dev.recsys.core.sasrec.TrainingWindows;
import dev.recsys.eval.Dataset.Interaction;

class WarmStartTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void engine() {
        PyTorchEngine.load(Path.of(System.getProperty("DJL_CACHE_DIR", "target/djl-cache")), 1);
    }

    @Test
    void holdsOutTheLastItemOfUsersWithThreeOrMore() {
        WarmStart.HeldOut split = WarmStart.HeldOut.lastItems(List.of(new int[] { 1, 2 }, new int[] { 3, 4, 5, 6 }));
        assertArrayEquals(new int[] { 1, 2 }, split.train().get(0), "too short to hold out: trained whole");
        assertArrayEquals(new int[] { 3, 4, 5 }, split.train().get(1));
        assertEquals(1, split.validation().size());
        assertArrayEquals(new int[] { 3, 4, 5 }, split.validation().inputs.get(0));
        assertEquals(6, split.validation().targets.get(0));
    }

    @Test
    void stopsOnceTheHeldOutItemsStopImprovingAndKeepsTheBestEpoch() throws Exception {
        // 3 chains of 20 items; each user walks one from a random start: the next item follows from the last,
        // so held-out NDCG@10 reaches its ceiling within a few epochs and then cannot improve.
        Random random = new Random(3);
        List<Interaction> warm = new ArrayList<>();
        for (int u = 0; u < 120; u++) {
            int chain = u % 3;
            int at = random.nextInt(20);
            for (int t = 0; t < 12; t++) {
                warm.add(new Interaction("u" + u, "i" + (chain * 20 + (at + t) % 20), 4.0, 1_000 + t));
            }
        }
        int cap = 60;
        WarmStart.Fitted fitted = WarmStart.train(warm, i -> true, cap, TrainingWindows.ALL, dir.resolve("model"));

        assertTrue(fitted.heldOutNdcg10() > 0.8, "learned the chains: " + fitted.heldOutNdcg10());
        assertTrue(fitted.epochs() < cap, "stopped early: " + fitted.epochs());
        assertEquals(fitted.keptEpoch() + WarmStart.PATIENCE, fitted.epochs(),
                "ran exactly the patience past the kept epoch");
        ModelFolder.Loaded saved = ModelFolder.load(fitted.dir());
        try (var model = saved.model()) {
            assertEquals(61, model.rows(), "every item has a row, and the padding row");
        }
    }

    @Test
    void refusesZeroEpochs() {
        assertThrows(IllegalArgumentException.class, () -> WarmStart.train(List.of(), i -> true, 0, TrainingWindows.ALL, dir));
    }
}
