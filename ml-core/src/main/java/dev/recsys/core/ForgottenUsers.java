package dev.recsys.core;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Users forgotten recently, as tombstones: a digest of the user (never the id) and when they asked. An event
 * of theirs with an earlier event time that arrives later (a retry sent before the request, an import run
 * again) is not applied, so nothing from before the request comes back. Kept for as long as the feedback log
 * may still hold such events (its retention), carried in checkpoints; called from the feedback thread only.
 */
public final class ForgottenUsers {

    private final long retentionMillis;
    private final MessageDigest sha256;
    /** User digest to the time they asked to be forgotten, in the order asked. */
    private final LinkedHashMap<Long, Long> tombstones = new LinkedHashMap<>();
    /** Requests applied since start: the checkpointer reads it to know a checkpoint without them is due. */
    private volatile long requests;

    /** @param retentionMillis how long a tombstone is kept: the feedback log's retention */
    public ForgottenUsers(long retentionMillis) {
        if (retentionMillis < 1) {
            throw new IllegalArgumentException("retentionMillis must be positive");
        }
        this.retentionMillis = retentionMillis;
        this.sha256 = UserDigests.sha256();
    }

    /** Notes that the user asked at {@code requestedAt} to be forgotten; {@code now} expires old tombstones. */
    public void forget(String userId, long requestedAt, long now) {
        long user = digest(userId);
        Long before = tombstones.remove(user);
        tombstones.put(user, Math.max(requestedAt, before == null ? Long.MIN_VALUE : before));
        expire(now);
        requests++;
    }

    /** Forget requests applied since this worker started (read from any thread). */
    public long requests() {
        return requests;
    }

    /** Whether an event of this user at {@code eventTime} is from before they asked to be forgotten. */
    public boolean forgotten(String userId, long eventTime) {
        if (tombstones.isEmpty()) {
            return false;
        }
        Long at = tombstones.get(digest(userId));
        return at != null && eventTime <= at;
    }

    public int size() {
        return tombstones.size();
    }

    private void expire(long now) {
        Iterator<Map.Entry<Long, Long>> oldest = tombstones.entrySet().iterator();
        while (oldest.hasNext() && oldest.next().getValue() < now - retentionMillis) {
            oldest.remove();
        }
    }

    private long digest(String userId) {
        return UserDigests.of(sha256, userId);
    }

    /** What a checkpoint keeps: digests and times, in the order asked. */
    public State state() {
        long[] users = new long[tombstones.size()];
        long[] at = new long[users.length];
        int i = 0;
        for (var e : tombstones.entrySet()) {
            users[i] = e.getKey();
            at[i++] = e.getValue();
        }
        return new State(users, at);
    }

    public void restore(State state) {
        tombstones.clear();
        for (int i = 0; i < state.users().length; i++) {
            tombstones.put(state.users()[i], state.at()[i]);
        }
    }

    /** Tombstones as user digests and the times asked. */
    public record State(long[] users, long[] at) {

        public static final State EMPTY = new State(new long[0], new long[0]);

        public State {
            if (users.length != at.length) {
                throw new IllegalArgumentException("tombstone arrays differ in length");
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof State s && Arrays.equals(users, s.users) && Arrays.equals(at, s.at);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(users) * 31 + Arrays.hashCode(at);
        }
    }
}
