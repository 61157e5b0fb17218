package dev.recsys.worker.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.sasrec.SasRecModel;

class ReplicaReloaderTest {

    @Test
    void itemRowsFollowTheirItemsNotTheirPositions() {
        int dim = 2;
        // The primary met c before b; the replica knows a, b (rows 1, 2) and has never seen c or d.
        List<String> checkpointItems = List.of("a", "c", "b", "d");
        float[] items = { 0, 0, /* a */ 1, 1, /* c */ 3, 3, /* b */ 2, 2, /* d */ 4, 4 };
        SasRecModel.Weights weights = new SasRecModel.Weights(Map.of("items", items, "positions", new float[] { 9 }),
                Map.of("items", new long[] { 5, dim }, "positions", new long[] { 1, 1 }));
        ItemVocabulary replica = ItemVocabulary.of(List.of("a", "b", "x"));

        SasRecModel.Weights placed = ReplicaReloader.byItemId(weights, checkpointItems, replica, dim);

        assertEquals(List.of("a", "b", "x", "c", "d"), replica.items());
        float[] rows = placed.values().get("items");
        assertArrayEquals(new float[] { 0, 0, 1, 1, 2, 2, 0, 0, 3, 3, 4, 4 }, rows, Arrays.toString(rows));
        assertArrayEquals(new long[] { 6, dim }, placed.shapes().get("items"));
        assertArrayEquals(new float[] { 9 }, placed.values().get("positions"), "other parameters as they are");
    }
}
