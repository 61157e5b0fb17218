package dev.recsys.core;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every user's {@link UserHistory}, created on a user's first event, up to {@code maxUsers}: past that the
 * least recently active user (by last event) is forgotten, so a flood of one-off ids cannot grow the heap
 * without bound. An evicted user who comes back starts a new history.
 */
public final class UserHistories {

    private final ConcurrentHashMap<String, UserHistory> byUser = new ConcurrentHashMap<>();
    /** Users by last event, oldest first; touched on the write path only, so reads never take the lock. */
    private final LinkedHashMap<String, Boolean> recency = new LinkedHashMap<>(16, 0.75f, true);
    private final int maxLength;
    private final int maxSeen;
    private final int maxUsers;
    private long evicted;

    public UserHistories(int maxLength, int maxSeen) {
        this(maxLength, maxSeen, Integer.MAX_VALUE);
    }

    public UserHistories(int maxLength, int maxSeen, int maxUsers) {
        if (maxUsers < 1) {
            throw new IllegalArgumentException("maxUsers must be positive, got " + maxUsers);
        }
        this.maxLength = maxLength;
        this.maxSeen = maxSeen;
        this.maxUsers = maxUsers;
    }

    /** The user's history, created empty on first use; counts as activity (an event is being applied). */
    public UserHistory of(String userId) {
        UserHistory h = byUser.computeIfAbsent(userId, u -> new UserHistory(maxLength, maxSeen));
        synchronized (recency) {
            recency.put(userId, Boolean.TRUE);
            if (recency.size() > maxUsers) {
                Iterator<String> oldest = recency.keySet().iterator();
                String gone = oldest.next();
                oldest.remove();
                byUser.remove(gone);
                evicted++;
            }
        }
        return h;
    }

    public void append(String userId, String itemId) {
        of(userId).append(itemId);
    }

    /** Drops the user's history; a later event starts a new one. True when there was one. */
    public boolean remove(String userId) {
        synchronized (recency) {
            recency.remove(userId);
            return byUser.remove(userId) != null;
        }
    }

    public UserHistory.Snapshot snapshot(String userId) {
        UserHistory h = byUser.get(userId);
        return h == null ? UserHistory.Snapshot.EMPTY : h.snapshot();
    }

    /** Every user's history, by user id in order: a checkpoint's view. */
    public java.util.SortedMap<String, UserHistory.State> state() {
        java.util.TreeMap<String, UserHistory.State> out = new java.util.TreeMap<>();
        byUser.forEach((user, history) -> out.put(user, history.state()));
        return out;
    }

    /** Replaces every history with those of a checkpoint (the newest {@code maxUsers} by event count if more). */
    public void restore(java.util.Map<String, UserHistory.State> state) {
        synchronized (recency) {
            byUser.clear();
            recency.clear();
            state.entrySet().stream()
                    .sorted(java.util.Comparator.comparingLong(e -> e.getValue().events()))
                    .skip(Math.max(0, state.size() - (long) maxUsers))
                    .forEach(e -> {
                        byUser.put(e.getKey(), UserHistory.restore(e.getValue(), maxLength, maxSeen));
                        recency.put(e.getKey(), Boolean.TRUE);
                    });
        }
    }

    /**
     * Takes up the given users' histories from a checkpoint, replacing any held for them, and leaves every
     * other user as is: a serving shard taking over a partition's users.
     */
    public void restoreUsers(java.util.Map<String, UserHistory.State> state) {
        synchronized (recency) {
            state.forEach((user, history) -> {
                byUser.put(user, UserHistory.restore(history, maxLength, maxSeen));
                recency.put(user, Boolean.TRUE);
            });
        }
    }

    /** Drops every history whose user {@code leaving} accepts (a shard handing a partition over); the users dropped. */
    public java.util.List<String> removeUsers(java.util.function.Predicate<String> leaving) {
        synchronized (recency) {
            java.util.List<String> gone = new java.util.ArrayList<>();
            for (String user : byUser.keySet()) {
                if (leaving.test(user)) {
                    gone.add(user);
                }
            }
            gone.forEach(u -> {
                byUser.remove(u);
                recency.remove(u);
            });
            return gone;
        }
    }

    public int users() {
        return byUser.size();
    }

    /** Users forgotten to stay within {@code maxUsers} since start. */
    public long evicted() {
        synchronized (recency) {
            return evicted;
        }
    }
}
