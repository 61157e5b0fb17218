package dev.recsys.core;

import java.util.concurrent.ConcurrentHashMap;

/** Every user's {@link UserHistory}, created on a user's first event. */
public final class UserHistories {

    private final ConcurrentHashMap<String, UserHistory> byUser = new ConcurrentHashMap<>();
    private final int maxLength;
    private final int maxSeen;

    public UserHistories(int maxLength, int maxSeen) {
        this.maxLength = maxLength;
        this.maxSeen = maxSeen;
    }

    /** The user's history, created empty on first use. */
    public UserHistory of(String userId) {
        return byUser.computeIfAbsent(userId, u -> new UserHistory(maxLength, maxSeen));
    }

    public void append(String userId, String itemId) {
        of(userId).append(itemId);
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

    /** Replaces every history with those of a checkpoint. */
    public void restore(java.util.Map<String, UserHistory.State> state) {
        byUser.clear();
        state.forEach((user, s) -> byUser.put(user, UserHistory.restore(s, maxLength, maxSeen)));
    }

    public int users() {
        return byUser.size();
    }
}
