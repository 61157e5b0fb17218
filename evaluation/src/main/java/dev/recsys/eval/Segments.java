package dev.recsys.eval;

import java.util.List;
import java.util.Locale;

/**
 * NDCG@10 of every variant within segments of the scored events, by how many positive items the user had
 * when asked: where one ranker leads another is what a gate that reads the request could use.
 */
final class Segments {

    private static final int[] UPPER = { 1, 5, 20, 50, 200, Integer.MAX_VALUE };
    private static final String[] NAMES = { "0", "1-4", "5-19", "20-49", "50-199", "200+" };

    private final List<String> variants;
    private final double[][] gain;
    private final long[] events = new long[UPPER.length];

    Segments(List<String> variants) {
        this.variants = variants;
        this.gain = new double[UPPER.length][variants.size()];
    }

    /** @param eventGain each variant's gain on this event (0 when the item was not in its top 10) */
    void add(int historyLength, double[] eventGain) {
        int s = 0;
        while (historyLength >= UPPER[s]) {
            s++;
        }
        events[s]++;
        for (int v = 0; v < eventGain.length; v++) {
            gain[s][v] += eventGain[v];
        }
    }

    /** The events in the segment named as in the table ("0", "1-4", ..., "200+"). */
    long events(String segment) {
        return events[index(segment)];
    }

    /** A variant's mean gain (NDCG@10) in a segment, 0 when it has no events. */
    double ndcg(String segment, int variant) {
        int s = index(segment);
        return events[s] == 0 ? 0 : gain[s][variant] / events[s];
    }

    private static int index(String segment) {
        int s = List.of(NAMES).indexOf(segment);
        if (s < 0) {
            throw new IllegalArgumentException("no segment " + segment);
        }
        return s;
    }

    void print() {
        StringBuilder head = new StringBuilder("| user's positive items when asked | events |");
        for (String v : variants) {
            head.append(' ').append(v).append(" |");
        }
        System.out.println(head);
        for (int s = 0; s < UPPER.length; s++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %,d |", NAMES[s], events[s]));
            for (int v = 0; v < variants.size(); v++) {
                row.append(String.format(Locale.ROOT, " %.4f |", ndcg(NAMES[s], v)));
            }
            System.out.println(row);
        }
    }
}
