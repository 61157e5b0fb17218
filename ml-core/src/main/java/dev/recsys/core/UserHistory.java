package dev.recsys.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One user's recent items, bounded: the last {@code maxLength} positive interactions in order (the model's
 * input sequence and its training targets), the last {@code maxSeen} distinct items of any kind (what
 * "exclude seen" excludes) and the last {@code maxSeen} items the user turned down (always excluded).
 */
public final class UserHistory {

    private final int maxLength;
    private final int maxSeen;
    private final ArrayDeque<String> sequence = new ArrayDeque<>();
    private final LinkedHashSet<String> seen = new LinkedHashSet<>();
    private final LinkedHashSet<String> rejected = new LinkedHashSet<>();
    private long events;

    public UserHistory(int maxLength, int maxSeen) {
        if (maxLength < 1 || maxSeen < 1) {
            throw new IllegalArgumentException("history bounds must be positive");
        }
        this.maxLength = maxLength;
        this.maxSeen = maxSeen;
    }

    /** A positive interaction: the item joins the sequence; a later positive undoes an earlier rejection. */
    public synchronized void append(String itemId) {
        events++;
        sequence.addLast(itemId);
        if (sequence.size() > maxLength) {
            sequence.removeFirst();
        }
        rejected.remove(itemId);
        remember(seen, itemId);
    }

    /** The newest {@code n} positive items, oldest first. */
    public synchronized List<String> recent(int n) {
        List<String> out = new ArrayList<>(Math.min(n, sequence.size()));
        Iterator<String> newestFirst = sequence.descendingIterator();
        while (newestFirst.hasNext() && out.size() < n) {
            out.add(newestFirst.next());
        }
        java.util.Collections.reverse(out);
        return out;
    }

    /** A negative interaction (skip, dislike, low rating): never a target, never recommended again. */
    public synchronized void reject(String itemId) {
        events++;
        remember(rejected, itemId);
        remember(seen, itemId);
    }

    /** Any other interaction: seen, but says nothing about taste. */
    public synchronized void see(String itemId) {
        events++;
        remember(seen, itemId);
    }

    private void remember(LinkedHashSet<String> set, String itemId) {
        // Re-inserting moves the item to the young end, so eviction drops the least recently seen.
        set.remove(itemId);
        set.add(itemId);
        if (set.size() > maxSeen) {
            Iterator<String> oldest = set.iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** A consistent copy, safe to read while more events arrive. */
    public synchronized Snapshot snapshot() {
        return new Snapshot(List.copyOf(new ArrayList<>(sequence)), Set.copyOf(seen), Set.copyOf(rejected), events);
    }

    /** Everything this history holds, in order, for a checkpoint. */
    public synchronized State state() {
        return new State(List.copyOf(sequence), List.copyOf(seen), List.copyOf(rejected), events);
    }

    /** A history as it was when {@link #state()} was taken. */
    public static UserHistory restore(State state, int maxLength, int maxSeen) {
        UserHistory h = new UserHistory(maxLength, maxSeen);
        state.sequence().forEach(h.sequence::addLast);
        while (h.sequence.size() > maxLength) {
            h.sequence.removeFirst();
        }
        state.seen().forEach(i -> h.remember(h.seen, i));
        state.rejected().forEach(i -> h.remember(h.rejected, i));
        h.events = state.events();
        return h;
    }

    /** A history's contents with their order (eviction order matters): oldest first in each list. */
    public record State(List<String> sequence, List<String> seen, List<String> rejected, long events) {
    }

    /**
     * @param sequence positive items, oldest first
     * @param seen     every recent item, whatever the feedback
     * @param rejected items the user turned down
     * @param events   how many events this user has sent in all, including those that fell off the bounds
     */
    public record Snapshot(List<String> sequence, Set<String> seen, Set<String> rejected, long events) {
        public static final Snapshot EMPTY = new Snapshot(List.of(), Set.of(), Set.of(), 0);
    }
}
