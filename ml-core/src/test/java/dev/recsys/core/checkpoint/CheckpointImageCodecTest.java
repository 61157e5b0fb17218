package dev.recsys.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

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

    @Test
    void historiesSplitByPartitionAreReadByPartAndTheItemPartHoldsNoUser() {
        UserHistories histories = new UserHistories(10, 10);
        for (int u = 0; u < 30; u++) {
            histories.append("user" + u, "i" + (u % 4));
        }
        CheckpointImage state = new CheckpointImage(List.of("i0", "i1", "i2", "i3"), histories.state(),
                new PopularityScorer(1000, 0).state(), Map.of(0, 5L), 30, Optional.empty(),
                dev.recsys.core.neighbours.ItemTables.standard().state(), dev.recsys.core.AppliedEventIds.Image.EMPTY);
        // Users to partitions by the number in their id, as a key hash would spread them.
        CheckpointImageCodec.Split thirds = new CheckpointImageCodec.Split(3,
                user -> Integer.parseInt(user.substring(4)) % 3);
        CheckpointImageCodec.Encoded split = CheckpointImageCodec.encode(state, thirds);
        assertEquals(Set.of("histories.p0.bin", "histories.p1.bin", "histories.p2.bin"), split.blobs().keySet()
                .stream().filter(CheckpointImageCodec::isHistories).collect(Collectors.toSet()));
        assertEquals(histories.state(), CheckpointImageCodec.decode(split.blobs(), split.metadata()).histories(),
                "every part read: every user back");

        Predicate<String> takeOver = CheckpointImageCodec.partitionsAndItems(split.metadata(), Set.of(1), 3);
        CheckpointImage partOne = CheckpointImageCodec.decode(picked(split, takeOver), split.metadata());
        assertEquals(10, partOne.histories().size());
        assertTrue(partOne.histories().keySet().stream().allMatch(u -> Integer.parseInt(u.substring(4)) % 3 == 1),
                partOne.histories().keySet().toString());
        assertEquals(state.vocabulary(), partOne.vocabulary(), "the item part comes with it");

        CheckpointImage items = CheckpointImageCodec.decode(picked(split, CheckpointImageCodec.itemPart(split.blobs().keySet())),
                split.metadata());
        assertTrue(items.histories().isEmpty());
        assertEquals(30, items.eventsApplied());
        // Written before item tables were kept, the tables are rebuilt from the histories: all are read.
        CheckpointImageCodec.Encoded tableless = CheckpointImageCodec.encode(new CheckpointImage(state.vocabulary(),
                state.histories(), state.popularity(), state.nextOffsets(), 30, Optional.empty()), thirds);
        assertEquals(30, CheckpointImageCodec.decode(picked(tableless,
                CheckpointImageCodec.itemPart(tableless.blobs().keySet())), tableless.metadata()).histories().size());

        // Written whole (before the split, or with no partitions known), or split another way: every user is
        // read and the reader filters.
        CheckpointImageCodec.Encoded whole = CheckpointImageCodec.encode(state);
        assertEquals(30, CheckpointImageCodec.decode(picked(whole,
                CheckpointImageCodec.partitionsAndItems(whole.metadata(), Set.of(1), 3)), whole.metadata())
                .histories().size());
        assertEquals(30, CheckpointImageCodec.decode(picked(split,
                CheckpointImageCodec.partitionsAndItems(split.metadata(), Set.of(1), 4)), split.metadata())
                .histories().size());
    }

    @Test
    void historiesAreWrittenAsNumbersAndTheOlderIdPerEntryFormatStillReads() throws Exception {
        UserHistories histories = new UserHistories(50, 50);
        for (int u = 0; u < 20; u++) {
            for (int i = 0; i < 30; i++) {
                histories.append("user-" + u, "a-rather-long-item-id-" + ((u + i) % 12));
            }
            histories.of("user-" + u).reject("a-rejected-item");
        }
        CheckpointImage state = new CheckpointImage(List.of("x"), histories.state(),
                new PopularityScorer(1000, 0).state(), Map.of(0, 5L), 600, Optional.empty());
        CheckpointImageCodec.Encoded numbered = CheckpointImageCodec.encode(state);
        assertEquals(histories.state(), CheckpointImageCodec.decode(numbered.blobs(), numbered.metadata()).histories());

        // The same histories as checkpoints wrote them before ("HIS1": every entry its id).
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(buffer);
        out.writeInt(0x48495331);
        out.writeInt(state.histories().size());
        for (var e : state.histories().entrySet()) {
            out.writeUTF(e.getKey());
            for (List<String> entries : List.of(e.getValue().sequence(), e.getValue().seen(), e.getValue().rejected())) {
                out.writeInt(entries.size());
                for (String id : entries) {
                    out.writeUTF(id);
                }
            }
            out.writeLong(e.getValue().events());
        }
        Map<String, byte[]> older = new java.util.LinkedHashMap<>(numbered.blobs());
        older.put("histories.bin", buffer.toByteArray());
        assertEquals(histories.state(), CheckpointImageCodec.decode(older, numbered.metadata()).histories());
        assertTrue(numbered.blobs().get("histories.bin").length * 5 < buffer.size(), "numbered: "
                + numbered.blobs().get("histories.bin").length + " bytes, ids per entry: " + buffer.size());

        // A number past the ids is refused, not read as some other item.
        byte[] damaged = numbered.blobs().get("histories.bin").clone();
        damaged[damaged.length - 9] = 0x7F; // the last user's last rejected entry: number 127 of 13 ids
        Map<String, byte[]> bad = new java.util.LinkedHashMap<>(numbered.blobs());
        bad.put("histories.bin", damaged);
        java.io.UncheckedIOException e = org.junit.jupiter.api.Assertions.assertThrows(
                java.io.UncheckedIOException.class, () -> CheckpointImageCodec.decode(bad, numbered.metadata()));
        assertTrue(e.getMessage().contains("past the 13 ids"), e.getMessage());
    }

    @Test
    void itemTablesAreWrittenAsNumbersAndTheOlderIdPerEntryFormatStillReads() throws Exception {
        dev.recsys.core.neighbours.ItemTables tables = dev.recsys.core.neighbours.ItemTables.standard();
        for (int u = 0; u < 30; u++) {
            List<String> before = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String item = "a-rather-long-item-id-" + ((u * 7 + i * 3) % 40);
                tables.observe(before, item);
                before.add(item);
            }
        }
        CheckpointImage state = new CheckpointImage(List.of("x"), new java.util.TreeMap<>(), new PopularityScorer(1000, 0).state(),
                Map.of(0, 5L), 360, Optional.empty(), tables.state(), dev.recsys.core.AppliedEventIds.Image.EMPTY);
        CheckpointImageCodec.Encoded numbered = CheckpointImageCodec.encode(state);
        assertEquals(tables.state(), CheckpointImageCodec.decode(numbered.blobs(), numbered.metadata()).itemTables());

        // The co-occurrence table as checkpoints wrote it before ("NBH1": every entry its id).
        dev.recsys.core.neighbours.ItemNeighbours.Image cooccurrence = tables.state().get("cooccurrence");
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(buffer);
        out.writeInt(0x4e424831);
        out.writeInt(cooccurrence.window());
        out.writeBoolean(cooccurrence.directed());
        out.writeLong(cooccurrence.links());
        out.writeInt(cooccurrence.rows().size());
        for (var row : cooccurrence.rows().entrySet()) {
            out.writeUTF(row.getKey());
            out.writeInt(row.getValue().size());
            for (var n : row.getValue().entrySet()) {
                out.writeUTF(n.getKey());
                out.writeFloat(n.getValue());
            }
        }
        Map<String, byte[]> older = new java.util.LinkedHashMap<>(numbered.blobs());
        older.put("cooccurrence.table.bin", buffer.toByteArray());
        assertEquals(tables.state(), CheckpointImageCodec.decode(older, numbered.metadata()).itemTables());
        byte[] table = numbered.blobs().get("cooccurrence.table.bin");
        assertTrue(table.length * 3 < buffer.size(), "numbered: " + table.length + " bytes, ids per entry: "
                + buffer.size());

        // A neighbour number past the items is refused, not read as some other item.
        java.io.ByteArrayOutputStream damaged = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream d = new java.io.DataOutputStream(damaged);
        d.writeInt(0x4e424832);
        d.writeInt(cooccurrence.window());
        d.writeBoolean(false);
        d.writeLong(1);
        d.writeInt(2);
        d.writeUTF("a");
        d.writeUTF("b");
        d.writeByte(1); // a's one neighbour ...
        d.writeByte(5); // ... number 5 of 2 items
        d.writeFloat(1f);
        d.writeByte(0);
        Map<String, byte[]> bad = new java.util.LinkedHashMap<>(numbered.blobs());
        bad.put("cooccurrence.table.bin", damaged.toByteArray());
        java.io.UncheckedIOException e = org.junit.jupiter.api.Assertions.assertThrows(
                java.io.UncheckedIOException.class, () -> CheckpointImageCodec.decode(bad, numbered.metadata()));
        assertTrue(e.getMessage().contains("past the 2 items"), e.getMessage());
    }

    private static Map<String, byte[]> picked(CheckpointImageCodec.Encoded encoded, Predicate<String> pick) {
        Map<String, byte[]> out = new java.util.LinkedHashMap<>();
        encoded.blobs().forEach((name, data) -> {
            if (pick.test(name)) {
                out.put(name, data);
            }
        });
        return out;
    }
}
