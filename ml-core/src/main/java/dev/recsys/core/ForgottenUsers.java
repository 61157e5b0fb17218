package dev.recsys.core;

import java.util.Arrays;

/**
 * Forget requests this worker applied. The feedback log's order decides what a forget covers: every event of
 * the user before it in their partition, none after (an event acknowledged after the forget's 202 is a new
 * history, whatever time it carries). A replay from any checkpoint reads the forget again in the same place,
 * so no tombstone is needed to keep a user forgotten, and none is kept: a checkpoint holds nothing that could
 * test a list of ids against it. The count tells the checkpointer that a checkpoint without the user is due.
 */
public final class ForgottenUsers {

    /** Requests applied since start; written by the feedback thread, read by the checkpointer. */
    private volatile long requests;

    /** Notes one applied request (the caller has dropped the user's state). */
    public void forget() {
        requests++;
    }

    /** Forget requests applied since this worker started (read from any thread). */
    public long requests() {
        return requests;
    }

    /**
     * What a checkpoint's {@code forgotten.bin} holds: always empty now. Checkpoints written when forgets kept
     * time-based tombstones still read; their tombstones are dropped, since the log's order replaces them.
     */
    public record Image(long[] users, long[] at) {

        public static final Image EMPTY = new Image(new long[0], new long[0]);

        public Image {
            if (users.length != at.length) {
                throw new IllegalArgumentException("tombstone arrays differ in length");
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Image s && Arrays.equals(users, s.users) && Arrays.equals(at, s.at);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(users) * 31 + Arrays.hashCode(at);
        }
    }
}
