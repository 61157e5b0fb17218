package dev.recsys.core.checkpoint;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import dev.recsys.core.neighbours.ItemNeighbours;

/** {@code <name>.table.bin}: one item-to-item table (co-occurrence or Markov), rows and weights by item id. */
final class ItemTableBlob {

    private static final int TAG = 0x4e424831; // "NBH1"

    private ItemTableBlob() {
    }

    static byte[] write(ItemNeighbours.Image t) {
        return CheckpointImageCodec.bytes(out -> {
            out.writeInt(TAG);
            out.writeInt(t.window());
            out.writeBoolean(t.directed());
            out.writeLong(t.links());
            out.writeInt(t.rows().size());
            // Sorted, so that one state always gives the same bytes.
            for (var row : new TreeMap<>(t.rows()).entrySet()) {
                out.writeUTF(row.getKey());
                out.writeInt(row.getValue().size());
                for (var n : new TreeMap<>(row.getValue()).entrySet()) {
                    out.writeUTF(n.getKey());
                    out.writeFloat(n.getValue());
                }
            }
        });
    }

    static ItemNeighbours.Image read(byte[] data, String name) throws IOException {
        DataInputStream in = CheckpointImageCodec.input(data, TAG, name);
        int window = in.readInt();
        boolean directed = in.readBoolean();
        long links = in.readLong();
        Map<String, Map<String, Float>> rows = new HashMap<>();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            String item = in.readUTF();
            Map<String, Float> row = new HashMap<>();
            int m = in.readInt();
            for (int j = 0; j < m; j++) {
                row.put(in.readUTF(), in.readFloat());
            }
            rows.put(item, row);
        }
        return new ItemNeighbours.Image(window, directed, rows, links);
    }
}
