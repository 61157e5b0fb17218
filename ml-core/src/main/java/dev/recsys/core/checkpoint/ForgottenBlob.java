package dev.recsys.core.checkpoint;

import java.io.IOException;

import dev.recsys.core.ForgottenUsers;

/** {@code forgotten.bin}: the forgotten users, as digests and times (never ids), oldest first. */
final class ForgottenBlob {

    static final String NAME = "forgotten.bin";
    private static final int TAG = 0x464f5231; // "FOR1"

    private ForgottenBlob() {
    }

    static byte[] write(ForgottenUsers.Image forgotten) {
        return LongColumns.write(TAG, forgotten.users(), forgotten.at());
    }

    /** Empty for a checkpoint written before users could be forgotten. */
    static ForgottenUsers.Image read(byte[] data) throws IOException {
        if (data == null) {
            return ForgottenUsers.Image.EMPTY;
        }
        long[][] c = LongColumns.read(data, TAG, NAME, 2);
        return new ForgottenUsers.Image(c[0], c[1]);
    }
}
