package dev.recsys.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * External item ids to embedding rows. Row 0 is padding; items get rows 1, 2, ... in order of first
 * sight, so a grown vocabulary keeps every earlier item on its row. Lookups are lock-free; adding is
 * serialised.
 */
public final class ItemVocabulary {

    public static final int PADDING = 0;

    private final ConcurrentHashMap<String, Integer> rows = new ConcurrentHashMap<>();
    private volatile String[] ids = new String[] { null };

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
        String[] grown = java.util.Arrays.copyOf(ids, ids.length + 1);
        int row = ids.length;
        grown[row] = itemId;
        ids = grown;
        rows.put(itemId, row);
        return row;
    }

    public String itemId(int row) {
        return ids[row];
    }

    /** Rows in use, padding included: the embedding table needs this many. */
    public int rows() {
        return ids.length;
    }

    /** Items in row order (row 1 first). */
    public List<String> items() {
        String[] snapshot = ids;
        List<String> out = new ArrayList<>(snapshot.length - 1);
        for (int i = 1; i < snapshot.length; i++) {
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
