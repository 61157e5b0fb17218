package dev.recsys.core.checkpoint;

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
        return LongColumns.write(TAG, ids.hi(), ids.lo(), ids.at());
    }

    /**
     * Empty for a checkpoint written before the worker kept event ids, or in the first format, whose digests
     * the worker no longer computes (a retry of an event applied just before the upgrade is applied again).
     */
    static AppliedEventIds.Image read(byte[] data) throws IOException {
        if (data == null || (data.length >= 4 && java.nio.ByteBuffer.wrap(data, 0, 4).getInt() == OLD_TAG)) {
            return AppliedEventIds.Image.EMPTY;
        }
        long[][] c = LongColumns.read(data, TAG, NAME, 3);
        return new AppliedEventIds.Image(c[0], c[1], c[2]);
    }
}
