package dev.recsys.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One user's recent items, bounded: the last {@code maxLength} interactions in order (the model's input
 * sequence) and the last {@code maxSeen} distinct items (what "exclude seen" excludes).
 */
public final class UserHistory {

    private final int maxLength;
    private final int maxSeen;
    private final ArrayDeque<String> sequence = new ArrayDeque<>();
    private final LinkedHashSet<String> seen = new LinkedHashSet<>();
    private long events;

    public UserHistory(int maxLength, int maxSeen) {
        if (maxLength < 1 || maxSeen < 1) {
            throw new IllegalArgumentException("history bounds must be positive");
        }
        this.maxLength = maxLength;
        this.maxSeen = maxSeen;
    }

    public synchronized void append(String itemId) {
        events++;
        sequence.addLast(itemId);
        if (sequence.size() > maxLength) {
            sequence.removeFirst();
        }
        // Re-inserting moves the item to the young end, so eviction drops the least recently seen.
        seen.remove(itemId);
        seen.add(itemId);
        if (seen.size() > maxSeen) {
            Iterator<String> oldest = seen.iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** A consistent copy, safe to read while more events arrive. */
    public synchronized Snapshot snapshot() {
        return new Snapshot(List.copyOf(new ArrayList<>(sequence)), Set.copyOf(seen), events);
    }

    /**
     * @param sequence oldest first
     * @param events   how many events this user has sent in all, including those that fell off the bounds
     */
    public record Snapshot(List<String> sequence, Set<String> seen, long events) {
        public static final Snapshot EMPTY = new Snapshot(List.of(), Set.of(), 0);
    }
}
