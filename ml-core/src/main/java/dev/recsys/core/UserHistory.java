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
 * <p>
 * Bounded in bytes as well ({@link IdBytes}): past {@code maxBytes} the oldest seen items go first, then the
 * oldest rejected ones, then the oldest of the sequence, so that long ids shorten what is remembered rather
 * than grow the heap. The sequence's newest item always stays.
 */
public final class UserHistory {

    private final int maxLength;
    private final int maxSeen;
    private final long maxBytes;
    /** What this history's ids cost by {@link IdBytes}; changes are reported to {@code footprint}. */
    private long bytes;
    private java.util.function.LongConsumer footprint;
    private final ArrayDeque<String> sequence = new ArrayDeque<>();
    private final LinkedHashSet<String> seen = new LinkedHashSet<>();
    private final LinkedHashSet<String> rejected = new LinkedHashSet<>();
    private long events;

    public UserHistory(int maxLength, int maxSeen) {
        this(maxLength, maxSeen, Long.MAX_VALUE, delta -> { });
    }

    /** @param footprint told every change of {@link #bytes()}, under this history's lock */
    public UserHistory(int maxLength, int maxSeen, long maxBytes, java.util.function.LongConsumer footprint) {
        if (maxLength < 1 || maxSeen < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("history bounds must be positive");
        }
        this.maxLength = maxLength;
        this.maxSeen = maxSeen;
        this.maxBytes = maxBytes;
        this.footprint = footprint;
    }

    /** A positive interaction: the item joins the sequence; a later positive undoes an earlier rejection. */
    public synchronized void append(String itemId) {
        events++;
        addToSequence(itemId);
        if (rejected.remove(itemId)) {
            charge(-IdBytes.of(itemId));
        }
        remember(seen, itemId);
        fit();
    }

    private void addToSequence(String itemId) {
        sequence.addLast(itemId);
        charge(IdBytes.of(itemId));
        if (sequence.size() > maxLength) {
            charge(-IdBytes.of(sequence.removeFirst()));
        }
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
        fit();
    }

    /** Any other interaction: seen, but says nothing about taste. */
    public synchronized void see(String itemId) {
        events++;
        remember(seen, itemId);
        fit();
    }

    private void remember(LinkedHashSet<String> set, String itemId) {
        // Re-inserting moves the item to the young end, so eviction drops the least recently seen.
        if (!set.remove(itemId)) {
            charge(IdBytes.of(itemId));
        }
        set.add(itemId);
        if (set.size() > maxSeen) {
            dropOldest(set);
        }
    }

    private void dropOldest(LinkedHashSet<String> set) {
        Iterator<String> oldest = set.iterator();
        charge(-IdBytes.of(oldest.next()));
        oldest.remove();
    }

    /** Back within {@code maxBytes}: the eviction order in the class comment. */
    private void fit() {
        while (bytes > maxBytes && !seen.isEmpty()) {
            dropOldest(seen);
        }
        while (bytes > maxBytes && !rejected.isEmpty()) {
            dropOldest(rejected);
        }
        while (bytes > maxBytes && sequence.size() > 1) {
            charge(-IdBytes.of(sequence.removeFirst()));
        }
    }

    private void charge(long delta) {
        bytes += delta;
        footprint.accept(delta);
    }

    /**
     * Stops reporting to the footprint (its holder dropped this history; a writer still holding it must not
     * charge a total it is no longer part of) and returns what it costs now.
     */
    synchronized long detach() {
        footprint = delta -> { };
        return bytes;
    }

    /** What this history's ids cost, by {@link IdBytes}. */
    public synchronized long bytes() {
        return bytes;
    }

    /** A consistent copy, safe to read while more events arrive. */
    public synchronized Snapshot snapshot() {
        return new Snapshot(List.copyOf(new ArrayList<>(sequence)), Set.copyOf(seen), Set.copyOf(rejected), events);
    }

    /** Everything this history holds, in order, for a checkpoint. */
    public synchronized Image state() {
        return new Image(List.copyOf(sequence), List.copyOf(seen), List.copyOf(rejected), events);
    }

    /** A history as it was when {@link #state()} was taken. */
    public static UserHistory restore(Image state, int maxLength, int maxSeen) {
        return restore(state, maxLength, maxSeen, Long.MAX_VALUE, delta -> { });
    }

    /** The same within a byte budget: a checkpoint written under a larger one is cut by the usual order. */
    public static UserHistory restore(Image state, int maxLength, int maxSeen, long maxBytes,
            java.util.function.LongConsumer footprint) {
        UserHistory h = new UserHistory(maxLength, maxSeen, maxBytes, footprint);
        synchronized (h) {
            state.sequence().forEach(h::addToSequence);
            state.seen().forEach(i -> h.remember(h.seen, i));
            state.rejected().forEach(i -> h.remember(h.rejected, i));
            h.events = state.events();
            h.fit();
        }
        return h;
    }

    /** A history's contents with their order (eviction order matters): oldest first in each list. */
    public record Image(List<String> sequence, List<String> seen, List<String> rejected, long events) {
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
