package dev.recsys.core.checkpoint;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.recsys.wire.ItemUpdate;

/**
 * {@code catalogue.bin}: the item catalogue as the worker holds it and, per {@code items} partition, the offset
 * of the first update not in it. Absent from checkpoints written before the worker kept it.
 */
final class CatalogueBlob {

    static final String NAME = "catalogue.bin";
    private static final int TAG = 0x43415431; // "CAT1"

    private CatalogueBlob() {
    }

    static byte[] write(CheckpointImage.CatalogueState catalogue) {
        return CheckpointImageCodec.bytes(out -> {
            out.writeInt(TAG);
            out.writeInt(catalogue.nextOffsets().size());
            for (var e : catalogue.nextOffsets().entrySet()) {
                out.writeInt(e.getKey());
                out.writeLong(e.getValue());
            }
            out.writeInt(catalogue.items().size());
            for (ItemUpdate item : catalogue.items()) {
                out.writeUTF(item.itemId());
                out.writeBoolean(item.hidden());
                out.writeLong(item.timestamp());
                out.writeInt(item.categories().size());
                for (String c : item.categories()) {
                    out.writeUTF(c);
                }
            }
        });
    }

    static java.util.Optional<CheckpointImage.CatalogueState> read(byte[] data) throws IOException {
        if (data == null) {
            return java.util.Optional.empty();
        }
        DataInputStream in = CheckpointImageCodec.input(data, TAG, NAME);
        int partitions = in.readInt();
        if (partitions < 0 || partitions > 100_000) {
            throw new IOException(NAME + " says " + partitions + " partitions");
        }
        Map<Integer, Long> offsets = new TreeMap<>();
        for (int i = 0; i < partitions; i++) {
            offsets.put(in.readInt(), in.readLong());
        }
        int n = in.readInt();
        if (n < 0 || n > data.length) {
            throw new IOException(NAME + " says " + n + " items in " + data.length + " bytes");
        }
        List<ItemUpdate> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = in.readUTF();
            boolean hidden = in.readBoolean();
            long timestamp = in.readLong();
            int categories = in.readInt();
            if (categories < 0 || categories > data.length) {
                throw new IOException(NAME + " says " + categories + " categories for one item");
            }
            List<String> cs = new ArrayList<>(categories);
            for (int c = 0; c < categories; c++) {
                cs.add(in.readUTF());
            }
            items.add(new ItemUpdate(id, cs, hidden, timestamp));
        }
        return java.util.Optional.of(new CheckpointImage.CatalogueState(List.copyOf(items), offsets));
    }
}
