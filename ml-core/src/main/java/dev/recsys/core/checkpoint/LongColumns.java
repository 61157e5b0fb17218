package dev.recsys.core.checkpoint;

import java.io.DataInputStream;
import java.io.IOException;

/**
 * The format of the blobs that are tables of {@code long}s (the dedup window, the forgotten users): a tag,
 * the row count, then each row's columns; the count must match the bytes, or the blob is refused.
 */
final class LongColumns {

    private LongColumns() {
    }

    /** @param columns of equal length, one value of each per row */
    static byte[] write(int tag, long[]... columns) {
        int rows = columns[0].length;
        return CheckpointImageCodec.bytes(out -> {
            out.writeInt(tag);
            out.writeInt(rows);
            for (int i = 0; i < rows; i++) {
                for (long[] column : columns) {
                    out.writeLong(column[i]);
                }
            }
        });
    }

    /** The {@code width} columns of blob {@code name}. */
    static long[][] read(byte[] data, int tag, String name, int width) throws IOException {
        DataInputStream in = CheckpointImageCodec.input(data, tag, name);
        int rows = in.readInt();
        if (rows < 0 || (long) rows * width * Long.BYTES != data.length - 8L) {
            throw new IOException(name + " says " + rows + " rows but holds " + (data.length - 8) + " bytes");
        }
        long[][] columns = new long[width][rows];
        for (int i = 0; i < rows; i++) {
            for (long[] column : columns) {
                column[i] = in.readLong();
            }
        }
        return columns;
    }
}
