package dev.recsys.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class LongColumnsTest {

    private static final int TAG = 0x54455354; // "TEST"

    @Test
    void columnsComeBackInOrder() throws IOException {
        long[] a = { 1, -2, Long.MAX_VALUE };
        long[] b = { 4, 5, Long.MIN_VALUE };
        long[][] back = LongColumns.read(LongColumns.write(TAG, a, b), TAG, "test.bin", 2);
        assertArrayEquals(a, back[0]);
        assertArrayEquals(b, back[1]);
    }

    @Test
    void aTruncatedOrForeignBlobIsRefusedWithItsName() {
        byte[] blob = LongColumns.write(TAG, new long[] { 1, 2 }, new long[] { 3, 4 });
        IOException cut = assertThrows(IOException.class,
                () -> LongColumns.read(Arrays.copyOf(blob, blob.length - 8), TAG, "test.bin", 2));
        assertTrue(cut.getMessage().contains("test.bin says 2 rows"), cut.getMessage());
        assertThrows(IOException.class, () -> LongColumns.read(blob, TAG + 1, "test.bin", 2));
        assertThrows(IOException.class, () -> LongColumns.read(blob, TAG, "test.bin", 3));
    }
}
