package dev.recsys.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * External item ids to embedding rows. Row 0 is padding; items get rows 1, 2, ... in order of first
 * sight, so a grown vocabulary keeps every earlier item on its row. Lookups are lock-free; adding is
 * serialised, and amortised O(1): the id array doubles when full rather than being copied per new item.
 */
public final class ItemVocabulary {

    public static final int PADDING = 0;

    private final ConcurrentHashMap<String, Integer> rows = new ConcurrentHashMap<>();
    // Entries below size are final once written; size is published after the entry (volatile write), and a
    // reader reads size before ids, so every row it can see is in the array it reads.
    private volatile String[] ids = new String[16];
    private volatile int size = 1;

    /** The row of an item, or -1 if it has none. */
    public int row(String itemId) {
        Integer r = rows.get(itemId);
        return r == null ? -1 : r;
    }

    /** The row of an item, giving it the next free row on first sight. */
    public synchronized int add(String itemId) {
        Integer r = rows.get(itemId);
        if (r != null) {
            return r;
        }
        int row = size;
        if (row == ids.length) {
            ids = java.util.Arrays.copyOf(ids, row * 2);
        }
        ids[row] = itemId;
        rows.put(itemId, row);
        size = row + 1;
        return row;
    }

    public String itemId(int row) {
        if (row >= size) {
            throw new IndexOutOfBoundsException("row " + row + " of " + size);
        }
        return ids[row];
    }

    /** Rows in use, padding included: the embedding table needs this many. */
    public int rows() {
        return size;
    }

    /** Items in row order (row 1 first). */
    public List<String> items() {
        int n = size;
        String[] snapshot = ids;
        List<String> out = new ArrayList<>(n - 1);
        for (int i = 1; i < n; i++) {
            out.add(snapshot[i]);
        }
        return out;
    }

    public static ItemVocabulary of(List<String> items) {
        ItemVocabulary v = new ItemVocabulary();
        items.forEach(v::add);
        return v;
    }
}
