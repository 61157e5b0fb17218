package dev.recsys.core.checkpoint;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.recsys.core.neighbours.ItemNeighbours;

/**
 * {@code <name>.table.bin}: one item-to-item table (co-occurrence or Markov). Written as "NBH2": each item id
 * once, then each row's neighbours as ascending numbers (varint gaps) and their weights, a few bytes an entry.
 * "NBH1" blobs (ids written out in every entry) are still read.
 */
final class ItemTableBlob {

    private static final int BY_ID = 0x4e424831; // "NBH1"
    private static final int NUMBERED = 0x4e424832; // "NBH2"

    private ItemTableBlob() {
    }

    static byte[] write(ItemNeighbours.Image t) {
        return CheckpointImageCodec.bytes(out -> {
            out.writeInt(NUMBERED);
            out.writeInt(t.window());
            out.writeBoolean(t.directed());
            out.writeLong(t.links());
            out.writeInt(t.items().size());
            for (String item : t.items()) {
                out.writeUTF(item);
            }
            for (int n = 0; n < t.items().size(); n++) {
                int[] neighbours = t.neighbours()[n];
                float[] weights = t.weights()[n];
                CheckpointImageCodec.writeVarint(neighbours.length, out);
                int previous = -1;
                for (int to : neighbours) {
                    CheckpointImageCodec.writeVarint(to - previous - 1, out);
                    previous = to;
                }
                for (float w : weights) {
                    out.writeFloat(w);
                }
            }
        });
    }

    static ItemNeighbours.Image read(byte[] data, String name) throws IOException {
        if (data == null) {
            throw new IOException("checkpoint has no " + name);
        }
        DataInputStream in = new DataInputStream(new BufferedInputStream(new ByteArrayInputStream(data), 1 << 16));
        int tag = in.readInt();
        if (tag != BY_ID && tag != NUMBERED) {
            throw new IOException(name + " is not in the expected format");
        }
        int window = in.readInt();
        boolean directed = in.readBoolean();
        long links = in.readLong();
        int count = in.readInt();
        if (count < 0) {
            throw new IOException(name + ": negative row count");
        }
        return tag == BY_ID ? readById(in, window, directed, links, count, name)
                : readNumbered(in, window, directed, links, count, name);
    }

    private static ItemNeighbours.Image readNumbered(DataInputStream in, int window, boolean directed, long links,
            int count, String name) throws IOException {
        List<String> items = new ArrayList<>(Math.min(count, 1 << 20));
        for (int i = 0; i < count; i++) {
            items.add(in.readUTF());
        }
        int[][] neighbours = new int[count][];
        float[][] weights = new float[count][];
        for (int n = 0; n < count; n++) {
            int m = CheckpointImageCodec.readVarint(in);
            if (m > count) {
                throw new IOException(name + ": row " + n + " has " + m + " neighbours among " + count + " items");
            }
            int[] to = new int[m];
            long previous = -1;
            for (int j = 0; j < m; j++) {
                previous += CheckpointImageCodec.readVarint(in) + 1L;
                if (previous >= count) {
                    throw new IOException(name + ": neighbour number " + previous + " past the " + count + " items");
                }
                to[j] = (int) previous;
            }
            float[] w = new float[m];
            for (int j = 0; j < m; j++) {
                w[j] = in.readFloat();
            }
            neighbours[n] = to;
            weights[n] = w;
        }
        return new ItemNeighbours.Image(window, directed, List.copyOf(items), neighbours, weights, links);
    }

    private static ItemNeighbours.Image readById(DataInputStream in, int window, boolean directed, long links,
            int count, String name) throws IOException {
        Map<String, Map<String, Float>> rows = new HashMap<>();
        for (int i = 0; i < count; i++) {
            String item = in.readUTF();
            Map<String, Float> row = new HashMap<>();
            int m = in.readInt();
            if (m < 0) {
                throw new IOException(name + ": negative neighbour count");
            }
            for (int j = 0; j < m; j++) {
                row.put(in.readUTF(), in.readFloat());
            }
            rows.put(item, row);
        }
        return ItemNeighbours.Image.of(window, directed, rows, links);
    }
}
