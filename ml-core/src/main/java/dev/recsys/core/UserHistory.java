package dev.recsys.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.carrotsearch.hppc.BoundedProportionalArraySizingStrategy;
import com.carrotsearch.hppc.IntArrayList;

/**
 * One user's recent items, bounded: the last {@code maxLength} positive interactions in order (the model's
 * input sequence and its training targets), the last {@code maxSeen} distinct items of any kind (what
 * "exclude seen" excludes) and the last {@code maxSeen} items the user turned down (always excluded).
 * <p>
 * Items are held as numbers from an {@link ItemNumbers} shared by all histories (4 bytes an entry; each id is
 * stored once however many users hold it). The byte budget still charges each entry its id's full
 * {@link IdBytes}, what it could cost were no other user holding the id: past {@code maxBytes} the oldest seen
 * items go first, then the oldest rejected ones, then the oldest of the sequence, so that long ids shorten what
 * is remembered rather than grow the heap. The sequence's newest item always stays.
 */
public final class UserHistory {

    /**
     * The lists grow by an eighth (at least 4) rather than HPPC's default half, so their slack stays small:
     * these arrays are most of a user's heap. A scan and a shift over a few thousand ints cost less than a
     * hash set's nodes.
     */
    private static final BoundedProportionalArraySizingStrategy GROWTH =
            new BoundedProportionalArraySizingStrategy(4, Integer.MAX_VALUE, 1.125f);

    private final int maxLength;
    private final int maxSeen;
    private final long maxBytes;
    private final ItemNumbers items;
    /** What this history's ids cost by {@link IdBytes}; changes are reported to {@code footprint}. */
    private long bytes;
    private java.util.function.LongConsumer footprint;
    private final IntArrayList sequence = new IntArrayList(4, GROWTH);
    private final IntArrayList seen = new IntArrayList(4, GROWTH);
    private final IntArrayList rejected = new IntArrayList(4, GROWTH);
    private long events;
    /** Dropped by its holder: its numbers are released and later events change nothing. */
    private boolean detached;

    public UserHistory(int maxLength, int maxSeen) {
        this(maxLength, maxSeen, Long.MAX_VALUE, delta -> { }, new ItemNumbers());
    }

    /**
     * @param footprint told every change of {@link #bytes()}, under this history's lock
     * @param items     the numbering this history shares with the others of its holder
     */
    public UserHistory(int maxLength, int maxSeen, long maxBytes, java.util.function.LongConsumer footprint,
            ItemNumbers items) {
        if (maxLength < 1 || maxSeen < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("history bounds must be positive");
        }
        this.maxLength = maxLength;
        this.maxSeen = maxSeen;
        this.maxBytes = maxBytes;
        this.footprint = footprint;
        this.items = items;
    }

    /** A positive interaction: the item joins the sequence; a later positive undoes an earlier rejection. */
    public synchronized void append(String itemId) {
        if (detached) {
            return;
        }
        events++;
        int n = addToSequence(itemId);
        int wasRejected = rejected.indexOf(n);
        if (wasRejected >= 0) {
            drop(rejected, wasRejected);
        }
        remember(seen, items.acquire(itemId));
        fit();
    }

    /** @return the item's number */
    private int addToSequence(String itemId) {
        int n = items.acquire(itemId);
        sequence.add(n);
        charge(IdBytes.of(itemId));
        if (sequence.size() > maxLength) {
            drop(sequence, 0);
        }
        return n;
    }

    /** The newest {@code n} positive items, oldest first. */
    public synchronized List<String> recent(int n) {
        int from = Math.max(0, sequence.size() - n);
        List<String> out = new ArrayList<>(sequence.size() - from);
        for (int i = from; i < sequence.size(); i++) {
            out.add(items.id(sequence.get(i)));
        }
        return out;
    }

    /** A negative interaction (skip, dislike, low rating): never a target, never recommended again. */
    public synchronized void reject(String itemId) {
        if (detached) {
            return;
        }
        events++;
        remember(rejected, items.acquire(itemId));
        remember(seen, items.acquire(itemId));
        fit();
    }

    /** Any other interaction: seen, but says nothing about taste. */
    public synchronized void see(String itemId) {
        if (detached) {
            return;
        }
        events++;
        remember(seen, items.acquire(itemId));
        fit();
    }

    /** Adds a number the caller acquired for this entry; an item already there moves to the young end. */
    private void remember(IntArrayList list, int n) {
        int at = list.indexOf(n);
        if (at >= 0) {
            // Moving keeps one entry and its charge; eviction then drops the least recently seen.
            list.removeAt(at);
            items.release(n);
        } else {
            charge(IdBytes.of(items.id(n)));
        }
        list.add(n);
        if (list.size() > maxSeen) {
            drop(list, 0);
        }
    }

    /** Removes an entry, gives its number back and takes its charge off. */
    private void drop(IntArrayList list, int at) {
        int n = list.removeAt(at);
        charge(-IdBytes.of(items.id(n)));
        items.release(n);
    }

    /** Back within {@code maxBytes}: the eviction order in the class comment. */
    private void fit() {
        while (bytes > maxBytes && !seen.isEmpty()) {
            drop(seen, 0);
        }
        while (bytes > maxBytes && !rejected.isEmpty()) {
            drop(rejected, 0);
        }
        while (bytes > maxBytes && sequence.size() > 1) {
            drop(sequence, 0);
        }
    }

    private void charge(long delta) {
        bytes += delta;
        footprint.accept(delta);
    }

    /**
     * Stops reporting to the footprint (its holder dropped this history; a writer still holding it must not
     * charge a total it is no longer part of), gives every number back and returns what it cost.
     */
    synchronized long detach() {
        footprint = delta -> { };
        if (!detached) {
            detached = true;
            for (IntArrayList list : new IntArrayList[] { sequence, seen, rejected }) {
                for (int i = 0; i < list.size(); i++) {
                    items.release(list.get(i));
                }
                list.release();
            }
        }
        return bytes;
    }

    /** What this history's ids cost, by {@link IdBytes}. */
    public synchronized long bytes() {
        return bytes;
    }

    /** A consistent copy, safe to read while more events arrive. */
    public synchronized Snapshot snapshot() {
        return new Snapshot(ids(sequence), Set.copyOf(ids(seen)), Set.copyOf(ids(rejected)), events);
    }

    /** Everything this history holds, in order, for a checkpoint. */
    public synchronized Image state() {
        return new Image(ids(sequence), ids(seen), ids(rejected), events);
    }

    private List<String> ids(IntArrayList list) {
        String[] out = new String[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = items.id(list.get(i));
        }
        return List.of(out);
    }

    /** A history as it was when {@link #state()} was taken, numbered on its own. */
    public static UserHistory restore(Image state, int maxLength, int maxSeen) {
        return restore(state, maxLength, maxSeen, Long.MAX_VALUE, delta -> { }, new ItemNumbers());
    }

    /** The same within a byte budget: a checkpoint written under a larger one is cut by the usual order. */
    public static UserHistory restore(Image state, int maxLength, int maxSeen, long maxBytes,
            java.util.function.LongConsumer footprint, ItemNumbers items) {
        UserHistory h = new UserHistory(maxLength, maxSeen, maxBytes, footprint, items);
        synchronized (h) {
            state.sequence().forEach(h::addToSequence);
            state.seen().forEach(i -> h.remember(h.seen, items.acquire(i)));
            state.rejected().forEach(i -> h.remember(h.rejected, items.acquire(i)));
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
