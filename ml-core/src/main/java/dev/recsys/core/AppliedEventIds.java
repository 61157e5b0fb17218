package dev.recsys.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

import com.carrotsearch.hppc.LongArrayDeque;
import com.carrotsearch.hppc.LongLongHashMap;
import com.carrotsearch.hppc.LongObjectHashMap;

/**
 * The (user, eventId) pairs applied recently, so that a batch a client retries after an unclear answer (a
 * 503 that said the outcome is unknown, a timeout) is applied once. Bounded by count and by age: an id is
 * forgotten once {@code maxIds} newer ones came in or {@code retentionMillis} have passed since it was
 * applied. Each user holds at most {@code maxPerUser} of them: past that their own oldest goes, so one user's
 * flood of new ids never evicts another user's (only ids from {@code maxIds / maxPerUser} users together
 * could). Carried in checkpoints, so a restart remembers what it had applied.
 * <p>
 * Each pair is kept as 128 bits (24 bytes a pair with the time, instead of two strings; {@link #BYTES_PER_PAIR}
 * with the index, the per-user order and the ring's slack): 64 bits of the SHA-256 of the user, so that a user's
 * pairs can be found (their share, {@link #forget}), and 64 bits of the SHA-256 of (user, eventId), which the
 * index is keyed by. Ids are scoped by user: one user's ids never suppress another's events. Two different
 * pairs sharing a digest would need 2^64 tries to find; if they met, the older would only lose its protection
 * against a retry, never suppress the newer. Called from the single feedback thread.
 */
public final class AppliedEventIds {

    /**
     * Heap a remembered pair costs at most: 24 in the ring (twice, as it may hold as many holes as pairs), 16
     * in the index at its load factor and resize, 8 in the user's order: what {@code worker.dedup.max-bytes}
     * divides by.
     */
    public static final long BYTES_PER_PAIR = 96;

    private final int maxIds;
    private final int maxPerUser;
    private final long retentionMillis;
    private final MessageDigest sha256;
    /** A slot whose pair was dropped (forgotten, or its user past their share): skipped, gone once passed. */
    private static final long DROPPED = Long.MIN_VALUE;

    /** The pair's digest (the second half) to its sequence number (the ring slot is sequence mod capacity). */
    private final LongLongHashMap index = new LongLongHashMap();
    /** Each user's live pairs by sequence number, oldest first. */
    private final LongObjectHashMap<LongArrayDeque> byUser = new LongObjectHashMap<>();
    private long[] hi = new long[0];
    private long[] lo = new long[0];
    private long[] at = new long[0];
    /** Sequence numbers of the oldest kept slot and of the next one. */
    private long head;
    private long tail;
    /** Pairs remembered and not dropped. */
    private int live;
    private long evictedByShare;

    public AppliedEventIds(int maxIds, long retentionMillis) {
        this(maxIds, maxIds, retentionMillis);
    }

    public AppliedEventIds(int maxIds, int maxPerUser, long retentionMillis) {
        if (maxIds < 1 || maxPerUser < 1 || retentionMillis < 1) {
            throw new IllegalArgumentException("maxIds, maxPerUser and retentionMillis must be positive");
        }
        this.maxIds = maxIds;
        this.maxPerUser = Math.min(maxPerUser, maxIds);
        this.retentionMillis = retentionMillis;
        this.sha256 = UserDigests.sha256();
    }

    /**
     * A (user, eventId) pair as it is kept: digest it once, then ask and record with it.
     *
     * @param hi the user's digest; {@code lo} the pair's
     */
    public record Key(long hi, long lo) {
    }

    public Key key(String userId, String eventId) {
        return new Key(userDigest(userId), pairDigest(userId, eventId));
    }

    /**
     * Drops every remembered pair of this user (their events sent again later are applied as new).
     *
     * @return how many were dropped
     */
    public int forget(String userId) {
        LongArrayDeque mine = byUser.remove(userDigest(userId));
        if (mine == null) {
            return 0;
        }
        for (var c : mine) {
            drop(c.value);
        }
        return mine.size();
    }

    /** Whether this user's event id was applied and is still remembered. */
    public boolean contains(String userId, String eventId) {
        return contains(key(userId, eventId));
    }

    public boolean contains(Key key) {
        return slotOf(key) >= 0;
    }

    /** Records that the event was applied at {@code atMillis} (the applier's clock), forgetting what expired. */
    public void remember(String userId, String eventId, long atMillis) {
        remember(key(userId, eventId), atMillis);
    }

    public void remember(Key key, long atMillis) {
        if (slotOf(key) >= 0) {
            return;
        }
        expire(atMillis);
        LongArrayDeque mine = byUser.get(key.hi());
        if (mine != null && mine.size() >= maxPerUser) {
            drop(mine.removeFirst());
            evictedByShare++;
        }
        if (live == maxIds) {
            forgetOldestLive();
        }
        makeRoom();
        // Looked up again: the two calls above may have removed the user's order or rebuilt every one.
        mine = byUser.get(key.hi());
        if (mine == null) {
            mine = new LongArrayDeque(4);
            byUser.put(key.hi(), mine);
        }
        int slot = (int) (tail % hi.length);
        hi[slot] = key.hi();
        lo[slot] = key.lo();
        at[slot] = atMillis;
        index.put(key.lo(), tail);
        mine.addLast(tail);
        tail++;
        live++;
    }

    /** Pairs remembered now. */
    public int size() {
        return live;
    }

    /** Pairs a user's own newer ids pushed out since start (their share was full). */
    public long evictedByShare() {
        return evictedByShare;
    }

    /** The remembered pairs, oldest first, dropped ones left out: what a checkpoint stores. */
    public Image state() {
        int n = 0;
        for (long s = head; s < tail; s++) {
            n += at[(int) (s % hi.length)] == DROPPED ? 0 : 1;
        }
        long[] h = new long[n];
        long[] l = new long[n];
        long[] t = new long[n];
        int i = 0;
        for (long s = head; s < tail; s++) {
            int slot = (int) (s % hi.length);
            if (at[slot] != DROPPED) {
                h[i] = hi[slot];
                l[i] = lo[slot];
                t[i++] = at[slot];
            }
        }
        return new Image(h, l, t);
    }

    /** The remembered pairs of {@code users} only, oldest first: what a checkpoint of some users stores. */
    public Image stateOf(java.util.Collection<String> users) {
        com.carrotsearch.hppc.LongHashSet digests = new com.carrotsearch.hppc.LongHashSet(users.size());
        users.forEach(u -> digests.add(userDigest(u)));
        Image all = state();
        int n = 0;
        for (int i = 0; i < all.size(); i++) {
            n += digests.contains(all.hi()[i]) ? 1 : 0;
        }
        long[] h = new long[n];
        long[] l = new long[n];
        long[] t = new long[n];
        int j = 0;
        for (int i = 0; i < all.size(); i++) {
            if (digests.contains(all.hi()[i])) {
                h[j] = all.hi()[i];
                l[j] = all.lo()[i];
                t[j++] = all.at()[i];
            }
        }
        return new Image(h, l, t);
    }

    /** Replaces what is remembered with a checkpoint's pairs (the newest within the bounds). */
    public void restore(Image state) {
        index.clear();
        byUser.clear();
        hi = new long[0];
        lo = new long[0];
        at = new long[0];
        head = 0;
        tail = 0;
        live = 0;
        int from = Math.max(0, state.size() - maxIds);
        for (int i = from; i < state.size(); i++) {
            remember(new Key(state.hi()[i], state.lo()[i]), state.at()[i]);
        }
    }

    /**
     * Adds a checkpoint's pairs to those remembered (a serving shard taking over users whose events it did not
     * apply itself). Pairs of other users cost memory only: ids are scoped by user.
     */
    public void merge(Image state) {
        for (int i = 0; i < state.size(); i++) {
            remember(new Key(state.hi()[i], state.lo()[i]), state.at()[i]);
        }
    }

    /** The ring slot holding this pair, or -1. */
    private int slotOf(Key key) {
        int i = index.indexOf(key.lo());
        if (!index.indexExists(i)) {
            return -1;
        }
        int slot = (int) (index.indexGet(i) % hi.length);
        return hi[slot] == key.hi() && at[slot] != DROPPED ? slot : -1;
    }

    private void expire(long now) {
        // Dropped slots carry the smallest time, so they go as soon as the ring reaches them.
        while (head < tail && at[(int) (head % hi.length)] < now - retentionMillis) {
            if (at[(int) (head % hi.length)] != DROPPED) {
                forgetOldestLive();
            } else {
                head++;
            }
        }
    }

    /** Forgets the oldest live pair, passing the dropped slots before it. */
    private void forgetOldestLive() {
        while (at[(int) (head % hi.length)] == DROPPED) {
            head++;
        }
        int slot = (int) (head % hi.length);
        LongArrayDeque owner = byUser.get(hi[slot]);
        owner.removeFirst(); // the oldest live slot is the oldest of its user's
        if (owner.isEmpty()) {
            byUser.remove(hi[slot]);
        }
        unindex(head);
        at[slot] = DROPPED;
        live--;
        head++;
    }

    /** Marks a live slot dropped (its user's order is the caller's to update). */
    private void drop(long sequence) {
        unindex(sequence);
        at[(int) (sequence % hi.length)] = DROPPED;
        live--;
    }

    private void unindex(long sequence) {
        // A newer pair with the same digest may own the index entry now; leave it.
        int i = index.indexOf(lo[(int) (sequence % hi.length)]);
        if (index.indexExists(i) && index.indexGet(i) == sequence) {
            index.indexRemove(i);
        }
    }

    /**
     * Frees a slot at the tail: the ring grows up to twice {@code maxIds} (live pairs plus as many holes);
     * full at that size, it is rewritten without its holes, which frees at least half of it, so each
     * rewrite is paid for by as many drops.
     */
    private void makeRoom() {
        if (tail - head < hi.length) {
            return;
        }
        int capacity = (int) Math.min(2L * maxIds, Math.max(16L, 2L * hi.length));
        boolean compact = capacity == hi.length;
        long[] h = new long[capacity];
        long[] l = new long[capacity];
        long[] t = new long[capacity];
        long next = compact ? 0 : head;
        if (compact) {
            index.clear();
            byUser.clear();
        }
        for (long s = head; s < tail; s++) {
            int from = (int) (s % hi.length);
            if (compact && at[from] == DROPPED) {
                continue;
            }
            int to = (int) (next % capacity);
            h[to] = hi[from];
            l[to] = lo[from];
            t[to] = at[from];
            if (compact) {
                index.put(l[to], next);
                LongArrayDeque mine = byUser.get(h[to]);
                if (mine == null) {
                    mine = new LongArrayDeque(4);
                    byUser.put(h[to], mine);
                }
                mine.addLast(next);
            }
            next++;
        }
        if (compact) {
            head = 0;
            tail = next;
        }
        hi = h;
        lo = l;
        at = t;
    }

    private long userDigest(String userId) {
        return UserDigests.of(sha256, userId);
    }

    private long pairDigest(String userId, String eventId) {
        byte[] user = userId.getBytes(StandardCharsets.UTF_8);
        // The user's length first, so that ("ab", "c") and ("a", "bc") differ.
        sha256.update(new byte[] { (byte) (user.length >>> 24), (byte) (user.length >>> 16),
                (byte) (user.length >>> 8), (byte) user.length });
        sha256.update(user);
        return UserDigests.first64(sha256.digest(eventId.getBytes(StandardCharsets.UTF_8)));
    }

    /** Pairs as digests (the user's, the pair's) and the time each was applied, oldest first. */
    public record Image(long[] hi, long[] lo, long[] at) {

        public static final Image EMPTY = new Image(new long[0], new long[0], new long[0]);

        public Image {
            if (hi.length != lo.length || hi.length != at.length) {
                throw new IllegalArgumentException("event-id state arrays differ in length");
            }
        }

        public int size() {
            return hi.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Image s && Arrays.equals(hi, s.hi) && Arrays.equals(lo, s.lo)
                    && Arrays.equals(at, s.at);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(hi) * 31 + Arrays.hashCode(at);
        }
    }
}
