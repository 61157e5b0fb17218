package dev.recsys.core;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The item ids that user histories hold, each stored once and known to the histories by a small number, so a
 * history keeps 4 bytes an entry instead of a string and a set node. Numbers are counted: every entry that
 * holds one {@link #acquire acquires} it and {@link #release releases} it when it goes, and a number no entry
 * holds is freed and reused, so the numbering holds exactly the ids some history still holds and is bounded
 * by the histories' own budgets.
 * <p>
 * Thread-safe. {@link #id} takes no lock: a caller reads only numbers it holds, whose slot cannot change
 * while held, and it got them from {@link #acquire} (under this lock) or through the lock of the history that
 * holds them, so it sees the slot written.
 */
public final class ItemNumbers {

    private final Map<String, Integer> numbers = new HashMap<>();
    /** Id by number. Growing copies it to a new array; a held number's slot is never written. */
    private volatile String[] ids = new String[64];
    private int[] counts = new int[64];
    private int[] free = new int[16];
    private int freeCount;
    private int next;

    /** The id's number, holding it once more (a new number on the id's first hold). */
    public synchronized int acquire(String id) {
        Integer known = numbers.get(id);
        if (known != null) {
            counts[known]++;
            return known;
        }
        int n = freeCount > 0 ? free[--freeCount] : next++;
        if (n == ids.length) {
            ids = Arrays.copyOf(ids, n * 2);
            counts = Arrays.copyOf(counts, n * 2);
        }
        String[] current = ids;
        current[n] = id;
        counts[n] = 1;
        numbers.put(id, n);
        return n;
    }

    /** Gives up one hold of {@code n}; its last frees it for another id. */
    public synchronized void release(int n) {
        if (counts[n] <= 0) {
            throw new IllegalStateException("item number " + n + " is not held");
        }
        if (--counts[n] == 0) {
            numbers.remove(ids[n]);
            ids[n] = null;
            if (freeCount == free.length) {
                free = Arrays.copyOf(free, freeCount * 2);
            }
            free[freeCount++] = n;
        }
    }

    /** The id of a number the caller holds. */
    public String id(int n) {
        return ids[n];
    }

    /** How many distinct ids are held. */
    public synchronized int size() {
        return numbers.size();
    }
}
