package dev.recsys.core.recommender;

import java.util.List;

import dev.recsys.core.neighbours.Votes;

/**
 * Shown a sample of positive events before they are applied, with the co-occurrence table's prediction
 * from what the user had before, so that a blend can learn how far to trust each of its sides on this stream.
 */
public interface PredictionProbe {

    /** The list length a sample's table rank is looked for in. */
    int RANKED = 10;

    PredictionProbe NONE = new PredictionProbe() {
        @Override
        public boolean wantsSample(long eventTimeMillis) {
            return false;
        }

        @Override
        public void offer(List<String> before, String item, Votes tableDistribution, int tableRank) {
        }
    };

    /**
     * Cheap: whether the next event, of this time (epoch milliseconds), should be offered (the probe samples;
     * it never slows feedback down).
     */
    boolean wantsSample(long eventTimeMillis);

    /** How many of the user's newest items {@link #offer} needs. */
    default int historyLength() {
        return 200;
    }

    /**
     * @param before            the user's positive items before this one, oldest first
     * @param tableDistribution the co-occurrence table's next-item distribution from {@code before}, made
     *                          before this event's own links were added
     * @param tableRank         where the table's own scorer put {@code item} in its top {@link #RANKED} for
     *                          {@code before} (the user's items excluded, popularity breaking ties and filling
     *                          the list): 0 first, -1 not in it
     */
    void offer(List<String> before, String item, Votes tableDistribution, int tableRank);
}
