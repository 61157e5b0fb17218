package dev.recsys.core.checkpoint;

import java.io.DataInputStream;
import java.io.IOException;

import dev.recsys.core.ForgottenUsers;

/** {@code forgotten.bin}: the tombstones of forgotten users (digests and times, never ids), oldest first. */
final class TombstonesBlob {

    static final String NAME = "forgotten.bin";
    private static final int TAG = 0x464f5231; // "FOR1"

    private TombstonesBlob() {
    }

    static byte[] write(ForgottenUsers.Image forgotten) {
        return CheckpointImageCodec.bytes(out -> {
            out.writeInt(TAG);
            out.writeInt(forgotten.users().length);
            for (int i = 0; i < forgotten.users().length; i++) {
                out.writeLong(forgotten.users()[i]);
                out.writeLong(forgotten.at()[i]);
            }
        });
    }

    /** Empty for a checkpoint written before users could be forgotten. */
    static ForgottenUsers.Image read(byte[] data) throws IOException {
        if (data == null) {
            return ForgottenUsers.Image.EMPTY;
        }
        DataInputStream in = CheckpointImageCodec.input(data, TAG, NAME);
        int n = in.readInt();
        if (n < 0 || (long) n * 16 != data.length - 8L) {
            throw new IOException(NAME + " says " + n + " users but holds " + (data.length - 8) + " bytes");
        }
        long[] users = new long[n];
        long[] at = new long[n];
        for (int i = 0; i < n; i++) {
            users[i] = in.readLong();
            at[i] = in.readLong();
        }
        return new ForgottenUsers.Image(users, at);
    }
}
