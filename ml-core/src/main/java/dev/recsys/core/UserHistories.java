package dev.recsys.core;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every user's {@link UserHistory}, created on a user's first event, up to {@code maxUsers} and
 * {@code maxBytes} of held ids ({@link IdBytes}, the user ids included): past either the least recently
 * active user (by last event) is forgotten, so a flood of one-off ids, short or long, cannot grow the heap
 * without bound. An evicted user who comes back starts a new history. Each history keeps within
 * {@code maxUserBytes} itself ({@link UserHistory}), so the total can overshoot by at most one event's ids
 * until the next event evicts.
 */
public final class UserHistories {

    private final ConcurrentHashMap<String, UserHistory> byUser = new ConcurrentHashMap<>();
    /** Users by last event, oldest first; touched on the write path only, so reads never take the lock. */
    private final LinkedHashMap<String, Boolean> recency = new LinkedHashMap<>(16, 0.75f, true);
    private final int maxLength;
    private final int maxSeen;
    private final int maxUsers;
    private final long maxUserBytes;
    private final long maxBytes;
    private final java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();
    /** Every history reports its byte changes here (one object for all, not one per history). */
    private final java.util.function.LongConsumer footprint = bytes::addAndGet;
    /** One numbering for every history here, so an id many users hold is stored once. */
    private final ItemNumbers items = new ItemNumbers();
    private long evicted;

    public UserHistories(int maxLength, int maxSeen) {
        this(maxLength, maxSeen, Integer.MAX_VALUE);
    }

    public UserHistories(int maxLength, int maxSeen, int maxUsers) {
        this(maxLength, maxSeen, maxUsers, Long.MAX_VALUE, Long.MAX_VALUE);
    }

    public UserHistories(int maxLength, int maxSeen, int maxUsers, long maxUserBytes, long maxBytes) {
        if (maxUsers < 1 || maxUserBytes < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("maxUsers, maxUserBytes and maxBytes must be positive");
        }
        this.maxLength = maxLength;
        this.maxSeen = maxSeen;
        this.maxUsers = maxUsers;
        this.maxUserBytes = maxUserBytes;
        this.maxBytes = maxBytes;
    }

    /** The user's history, created empty on first use; counts as activity (an event is being applied). */
    public UserHistory of(String userId) {
        UserHistory h = byUser.get(userId);
        if (h == null) {
            h = byUser.computeIfAbsent(userId, this::newHistory);
        }
        synchronized (recency) {
            recency.put(userId, Boolean.TRUE);
            while (recency.size() > maxUsers || (bytes.get() > maxBytes && recency.size() > 1)) {
                Iterator<String> oldest = recency.keySet().iterator();
                String gone = oldest.next();
                oldest.remove();
                drop(gone);
                evicted++;
            }
        }
        return h;
    }

    private UserHistory newHistory(String userId) {
        bytes.addAndGet(IdBytes.of(userId));
        return new UserHistory(maxLength, maxSeen, maxUserBytes, footprint, items);
    }

    private UserHistory restored(String userId, UserHistory.Image state) {
        bytes.addAndGet(IdBytes.of(userId));
        return UserHistory.restore(state, maxLength, maxSeen, maxUserBytes, footprint, items);
    }

    /** Removes a user's history and takes its bytes off the total; the caller holds {@code recency}. */
    private boolean drop(String userId) {
        UserHistory h = byUser.remove(userId);
        if (h == null) {
            return false;
        }
        bytes.addAndGet(-h.detach() - IdBytes.of(userId));
        return true;
    }

    /** What every held history costs, by {@link IdBytes}. */
    public long bytes() {
        return bytes.get();
    }

    public void append(String userId, String itemId) {
        of(userId).append(itemId);
    }

    /** Drops the user's history; a later event starts a new one. True when there was one. */
    public boolean remove(String userId) {
        synchronized (recency) {
            recency.remove(userId);
            return drop(userId);
        }
    }

    public UserHistory.Snapshot snapshot(String userId) {
        UserHistory h = byUser.get(userId);
        return h == null ? UserHistory.Snapshot.EMPTY : h.snapshot();
    }

    /** Every user's history, by user id in order: a checkpoint's view. */
    public java.util.SortedMap<String, UserHistory.Image> state() {
        return state(user -> true);
    }

    /** The histories of the users {@code which} picks, by user id in order (one partition's, for its checkpoint). */
    public java.util.SortedMap<String, UserHistory.Image> state(java.util.function.Predicate<String> which) {
        java.util.TreeMap<String, UserHistory.Image> out = new java.util.TreeMap<>();
        byUser.forEach((user, history) -> {
            if (which.test(user)) {
                out.put(user, history.state());
            }
        });
        return out;
    }

    /** Replaces every history with those of a checkpoint (the newest {@code maxUsers} by event count if more). */
    public void restore(java.util.Map<String, UserHistory.Image> state) {
        synchronized (recency) {
            byUser.values().forEach(UserHistory::detach);
            byUser.clear();
            recency.clear();
            bytes.set(0);
            state.entrySet().stream()
                    .sorted(java.util.Comparator.comparingLong(e -> e.getValue().events()))
                    .skip(Math.max(0, state.size() - (long) maxUsers))
                    .forEach(e -> {
                        byUser.put(e.getKey(), restored(e.getKey(), e.getValue()));
                        recency.put(e.getKey(), Boolean.TRUE);
                    });
            fitBytes();
        }
    }

    /**
     * Takes up the given users' histories from a checkpoint, replacing any held for them, and leaves every
     * other user as is: a serving shard taking over a partition's users.
     */
    public void restoreUsers(java.util.Map<String, UserHistory.Image> state) {
        synchronized (recency) {
            state.forEach((user, history) -> {
                drop(user);
                byUser.put(user, restored(user, history));
                recency.put(user, Boolean.TRUE);
            });
            fitBytes();
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
                drop(u);
                recency.remove(u);
            });
            return gone;
        }
    }

    /** Evicts the least recently active (least active, after a restore) until within {@code maxBytes}. */
    private void fitBytes() {
        Iterator<String> oldest = recency.keySet().iterator();
        while (bytes.get() > maxBytes && oldest.hasNext()) {
            drop(oldest.next());
            oldest.remove();
            evicted++;
        }
    }

    public int users() {
        return byUser.size();
    }

    /** Distinct item ids the histories hold between them, each stored once. */
    public int distinctItems() {
        return items.size();
    }

    /** Users forgotten to stay within {@code maxUsers} since start. */
    public long evicted() {
        synchronized (recency) {
            return evicted;
        }
    }
}
