package dev.recsys.core.checkpoint;

import java.io.DataInputStream;
import java.io.IOException;

import dev.recsys.core.AppliedEventIds;

/** {@code event-ids.bin}: the applied (user, eventId) digests a checkpoint carries, oldest first. */
final class EventIdsBlob {

    static final String NAME = "event-ids.bin";
    /** "EID2": the user's digest, then the pair's (EID1, before users could be forgotten, digested differently). */
    private static final int TAG = 0x45494432; // "EID2"
    private static final int OLD_TAG = 0x45494431; // "EID1"

    private EventIdsBlob() {
    }

    static byte[] write(AppliedEventIds.Image ids) {
        return CheckpointImageCodec.bytes(out -> {
            out.writeInt(TAG);
            out.writeInt(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                out.writeLong(ids.hi()[i]);
                out.writeLong(ids.lo()[i]);
                out.writeLong(ids.at()[i]);
            }
        });
    }

    /**
     * Empty for a checkpoint written before the worker kept event ids, or in the first format, whose digests
     * the worker no longer computes (a retry of an event applied just before the upgrade is applied again).
     */
    static AppliedEventIds.Image read(byte[] data) throws IOException {
        if (data == null || (data.length >= 4 && java.nio.ByteBuffer.wrap(data, 0, 4).getInt() == OLD_TAG)) {
            return AppliedEventIds.Image.EMPTY;
        }
        DataInputStream in = CheckpointImageCodec.input(data, TAG, NAME);
        int n = in.readInt();
        if (n < 0 || (long) n * 24 != data.length - 8L) {
            throw new IOException(NAME + " says " + n + " ids but holds " + (data.length - 8) + " bytes");
        }
        long[] hi = new long[n];
        long[] lo = new long[n];
        long[] at = new long[n];
        for (int i = 0; i < n; i++) {
            hi[i] = in.readLong();
            lo[i] = in.readLong();
            at[i] = in.readLong();
        }
        return new AppliedEventIds.Image(hi, lo, at);
    }
}
