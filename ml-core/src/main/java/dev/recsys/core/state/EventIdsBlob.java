package dev.recsys.core.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import dev.recsys.core.AppliedEventIds;

/** {@code event-ids.bin}: the applied (user, eventId) digests a checkpoint carries, oldest first. */
final class EventIdsBlob {

    static final String NAME = "event-ids.bin";
    private static final int TAG = 0x45494431; // "EID1"

    private EventIdsBlob() {
    }

    static byte[] write(AppliedEventIds.State ids) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(8 + ids.size() * 24);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeInt(TAG);
            out.writeInt(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                out.writeLong(ids.hi()[i]);
                out.writeLong(ids.lo()[i]);
                out.writeLong(ids.at()[i]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    /** Empty for a checkpoint written before the worker kept event ids. */
    static AppliedEventIds.State read(byte[] data) throws IOException {
        if (data == null) {
            return AppliedEventIds.State.EMPTY;
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
        if (in.readInt() != TAG) {
            throw new IOException(NAME + " is not in the expected format");
        }
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
        return new AppliedEventIds.State(hi, lo, at);
    }
}
