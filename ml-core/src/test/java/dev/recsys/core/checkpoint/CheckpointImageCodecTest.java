package dev.recsys.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.recsys.core.PopularityScorer;
import dev.recsys.core.UserHistories;
import dev.recsys.core.sasrec.OptimizerState;
import dev.recsys.core.sasrec.SasRecConfig;
import dev.recsys.core.sasrec.SasRecModel;
import dev.recsys.core.sasrec.SasRecTrainer;

class CheckpointImageCodecTest {

    @Test
    void everyPartComesBackAsItWas() {
        UserHistories histories = new UserHistories(3, 4);
        for (int i = 0; i < 6; i++) {
            histories.append("u1", "i" + i); // past both bounds: eviction order must survive
        }
        histories.of("u2").reject("i9");
        histories.of("u2").see("i8");
        PopularityScorer popularity = new PopularityScorer(1000, 0);
        popularity.record("i1", 2, 10);
        popularity.record("i2", 1, 5000);

        SasRecConfig config = new SasRecConfig(4, 8, 2, 1, 0f, 1e-2f, 4, 0, 1);
        OptimizerState optimizer;
        SasRecModel.Weights weights;
        try (SasRecModel model = SasRecModel.create(config, 6)) {
            SasRecTrainer trainer = new SasRecTrainer(model);
            trainer.step(List.of(new int[] { 1, 2, 3 }, new int[] { 4, 5 }));
            optimizer = trainer.optimizerState();
            weights = model.weights();
        }
        dev.recsys.core.neighbours.ItemTables tables = dev.recsys.core.neighbours.ItemTables.standard();
        tables.observe(List.of("i1", "i2"), "i3");
        tables.observe(List.of("i3"), "ünïcode");
        dev.recsys.core.AppliedEventIds ids = new dev.recsys.core.AppliedEventIds(10, 60_000);
        ids.remember("u1", "e1", 1_000);
        ids.remember("u2", "e1", 2_000);
        // Tombstones as checkpoints written before forgets went by the log's order held them: still read.
        var forgotten = new dev.recsys.core.ForgottenUsers.Image(new long[] { 7 }, new long[] { 1_500 });
        CheckpointImage state = new CheckpointImage(List.of("i1", "i2", "i3"), histories.state(), popularity.state(),
                Map.of(0, 17L, 3, 4L), 42, Optional.of(new CheckpointImage.ModelState(config, weights,
                        Optional.of(optimizer), 7, 4, 1_234_567L)), tables.state(), ids.state(), forgotten,
                Optional.of(new CheckpointImage.CatalogueState(List.of(
                        new dev.recsys.wire.ItemUpdate("m1", List.of("Drama", "ünï"), true, 5),
                        new dev.recsys.wire.ItemUpdate("m2", List.of(), false, 6)), Map.of(0, 3L, 2, 9L))));

        CheckpointImageCodec.Encoded encoded = CheckpointImageCodec.encode(state);
        CheckpointImage back = CheckpointImageCodec.decode(encoded.blobs(), encoded.metadata());

        assertEquals(state.vocabulary(), back.vocabulary());
        assertEquals(state.histories(), back.histories());
        assertEquals(List.of("i3", "i4", "i5"), back.histories().get("u1").sequence());
        assertEquals(state.popularity(), back.popularity());
        assertEquals(state.nextOffsets(), back.nextOffsets());
        assertEquals(42, back.eventsApplied());
        assertEquals(state.itemTables(), back.itemTables());
        assertEquals(ids.state(), back.eventIds());
        assertEquals(forgotten, back.forgotten());
        assertEquals(state.catalogue(), back.catalogue());
        assertEquals(3, back.itemTables().get("cooccurrence").links());
        dev.recsys.core.neighbours.ItemTables tablesBack = dev.recsys.core.neighbours.ItemTables.standard();
        tablesBack.restore(back.itemTables(), List.of());
        assertEquals(tables.state(), tablesBack.state());
        CheckpointImage.ModelState m = back.model().orElseThrow();
        assertEquals(config, m.config());
        assertEquals(7, m.trainingSteps());
        assertEquals(4, m.startingRows());
        assertEquals(1_234_567L, m.fittedThroughMillis());
        weights.values().forEach((name, v) -> assertArrayEquals(v, m.weights().values().get(name), name));
        OptimizerState o = m.optimizer().orElseThrow();
        assertEquals(optimizer.steps(), o.steps());
        assertEquals(optimizer.moments().keySet(), o.moments().keySet());
        optimizer.moments().forEach((name, mv) -> {
            assertArrayEquals(mv[0], o.moments().get(name)[0], name);
            assertArrayEquals(mv[1], o.moments().get(name)[1], name);
        });
        assertTrue(o.moments().get("items")[1][8] > 0, "second moments were really written");

        CheckpointImageCodec.Encoded older = CheckpointImageCodec.encode(new CheckpointImage(state.vocabulary(), state.histories(),
                state.popularity(), state.nextOffsets(), 42, Optional.empty()));
        assertTrue(CheckpointImageCodec.decode(older.blobs(), older.metadata()).catalogue().isEmpty(),
                "a checkpoint without a catalogue reads as none (the topic is read from its start)");

        UserHistories restored = new UserHistories(3, 4);
        restored.restore(back.histories());
        restored.append("u1", "i6");
        histories.append("u1", "i6");
        assertEquals(histories.state(), restored.state(), "a restored history evicts as the original does");
    }
}
