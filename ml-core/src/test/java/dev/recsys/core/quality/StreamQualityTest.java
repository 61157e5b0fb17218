package dev.recsys.core.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The five measures on cases worked out by hand (the arithmetic is in each comment). */
class StreamQualityTest {

    static final double EPS = 1e-4;

    /** Genres: a {X}, b {X, Y}, c {Z}, d unknown. Vectors: a (1, 0), b (0, 1), c (1, 1), d none. */
    static final ItemTraits TRAITS = new ItemTraits() {
        final Map<String, Set<String>> genres = Map.of("a", Set.of("X"), "b", Set.of("X", "Y"), "c", Set.of("Z"));
        final Map<String, float[]> vectors = Map.of("a", new float[] { 1, 0 }, "b", new float[] { 0, 1 }, "c",
                new float[] { 1, 1 });

        @Override
        public Set<String> genres(String item) {
            return genres.get(item);
        }

        @Override
        public float[] vector(String item) {
            return vectors.get(item);
        }
    };

    @Test
    void aStreamOfTwoListsScoresAsWorkedOutByHand() {
        StreamQuality stream = new StreamQuality(100, 100);
        for (String item : List.of("a", "a", "b", "c", "d", "e")) {
            stream.applied("someone", item, true); // N = 6; a twice, b to e once: 5 catalogue items
        }
        ListSums sums = new ListSums();
        // u's first list, asked before u takes b (rank 1): a hit with gain 1 / log2(3) = 0.63093.
        // Genres: (a,b) 1 - 1/2, (a,c) 1, (b,c) 1: 2.5 / 3. Vectors: (a,b) 1 - 0, (a,c) and (b,c) 1 - 1/sqrt 2.
        // Novelty: log2(6/2) = 1.58496, log2(6) = 2.58496 twice: mean 2.25163.
        stream.listed(sums, "u", List.of("a", "b", "c"), "b", TRAITS);
        stream.applied("u", "b", true); // N = 7
        // u's next list, after u's own event: c kept of a, b, c, d together: 1 - 1/4. d has no genres or vector.
        // Novelty: log2(7) twice = 2.80735. u then takes x, not in it: a miss.
        stream.listed(sums, "u", List.of("c", "d"), "x", TRAITS);

        ListQuality q = stream.summary(sums);
        assertEquals(2, q.lists());
        assertEquals(2, q.outcomes());
        assertEquals(0.5, q.hr10(), EPS);
        assertEquals(0.63093 / 2, q.ndcg10(), EPS);
        assertEquals(2.5 / 3, q.genreDistance(), EPS);
        assertEquals((1 + 2 * (1 - 1 / Math.sqrt(2))) / 3, q.vectorDistance(), EPS);
        assertEquals((2.25163 + 2.80735) / 2, q.novelty(), EPS);
        // a, b, c, d listed of a, b, c, d, e.
        assertEquals(0.8, q.coverage(), EPS);
        // Times listed, ascending over the catalogue: 0 1 1 1 2; sum (2i - 6) x_i = -2 + 0 + 2 + 8 = 8; 8 / (5 * 5).
        assertEquals(0.32, q.gini(), EPS);
        assertEquals(0.75, q.interactivity(), EPS);
        assertEquals(5, q.catalogue());
    }

    @Test
    void aListAskedAgainWithoutAnEventOfTheUsersOwnIsNotCountedAsInteractive() {
        StreamQuality stream = new StreamQuality(100, 100);
        ListSums sums = new ListSums();
        stream.listed(sums, "u", List.of("a", "b"), null, TRAITS);
        stream.applied("v", "a", true); // someone else's event
        stream.listed(sums, "u", List.of("c", "b"), null, TRAITS);
        assertTrue(Double.isNaN(stream.summary(sums).interactivity()));
        stream.applied("u", "c", false); // a skip is the user's own event too, though not a positive one
        stream.listed(sums, "u", List.of("a", "b"), null, TRAITS);
        // c gone, a new: b kept of a, b, c: 1 - 1/3. The skip is not a positive item: no list is scored for accuracy.
        ListQuality q = stream.summary(sums);
        assertEquals(2.0 / 3, q.interactivity(), EPS);
        assertEquals(0, q.outcomes());
    }

    @Test
    void theUsersNextPositiveItemScoresTheirLastListWhenTheTargetWasNotKnown() {
        RollingQuality rolling = new RollingQuality(new StreamQuality(100, 100), 2);
        rolling.served("u", List.of("a", "b", "c"), TRAITS);
        rolling.applied("u", "c", true); // rank 2: gain 1 / log2(4) = 0.5
        rolling.applied("u", "a", true); // already scored: not again
        ListQuality q = rolling.latest();
        assertEquals(1, q.outcomes());
        assertEquals(1, q.hr10(), EPS);
        assertEquals(0.5, q.ndcg10(), EPS);
        rolling.served("w", List.of("d"), TRAITS);
        rolling.served("w", List.of("e"), TRAITS);
        // The first window (two lists) completed when the third came: it is what latest reports.
        assertEquals(2, rolling.latest().lists());
        assertEquals(1, rolling.latest().outcomes());
    }

    @Test
    void memoryIsBoundedByUsersAndItemsAndListsAreMeasuredOnTheirFirstTenItems() {
        StreamQuality stream = new StreamQuality(1, 2);
        ListSums sums = new ListSums();
        stream.listed(sums, "u", List.of("a"), null, TRAITS);
        stream.listed(sums, "v", List.of("b"), null, TRAITS); // u's list forgotten: only one user is kept
        stream.applied("u", "a", true);
        assertEquals(0, stream.summary(sums).outcomes());
        stream.applied("x", "b", true);
        stream.applied("x", "c", true); // a third item: not counted as an item of its own
        assertEquals(2, stream.catalogue());

        List<String> twelve = List.of("i1", "i2", "i3", "i4", "i5", "i6", "i7", "i8", "i9", "i10", "i11", "i12");
        ListSums many = new ListSums();
        stream.listed(many, "y", twelve, "i11", TRAITS);
        ListQuality q = stream.summary(many);
        assertEquals(0, q.hr10(), EPS); // the 11th item is past the top 10
        assertEquals(10, Math.round(q.coverage() * q.catalogue()));
    }
}
