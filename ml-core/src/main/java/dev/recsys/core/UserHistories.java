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

    public int users() {
        return byUser.size();
    }
}
