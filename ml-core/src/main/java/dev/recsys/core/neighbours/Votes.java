package dev.recsys.core.neighbours;

import java.util.function.ObjDoubleConsumer;

/**
 * What a user's last items vote for, by an {@link ItemNeighbours} table: a weight per item, dense over the
 * table's item numbering (the scorer adds into an array, no hashing per vote), with the list of the items that
 * got any. Read-only once made.
 */
public final class Votes {

    static final Votes NONE = new Votes(new double[0], new int[0], 0, new String[0]);

    private final double[] weight;
    private final int[] voted;
    private final int count;
    private final String[] names;

    Votes(double[] weight, int[] voted, int count, String[] names) {
        this.weight = weight;
        this.voted = voted;
        this.count = count;
        this.names = names;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** How many items got a vote. */
    public int size() {
        return count;
    }

    /** The i-th item that got a vote (in no particular order). */
    public String item(int i) {
        return names[voted[i]];
    }

    /** The vote of the i-th item. */
    public double weight(int i) {
        return weight[voted[i]];
    }

    /** The table's number of the i-th item: stable for the table's life, so callers may cache by it. */
    public int number(int i) {
        return voted[i];
    }

    /** The vote for an item, 0 if none (a linear search: for tests and single look-ups). */
    public double of(String item) {
        for (int i = 0; i < count; i++) {
            if (names[voted[i]].equals(item)) {
                return weight[voted[i]];
            }
        }
        return 0;
    }

    public void forEach(ObjDoubleConsumer<String> action) {
        for (int i = 0; i < count; i++) {
            action.accept(names[voted[i]], weight[voted[i]]);
        }
    }
}
