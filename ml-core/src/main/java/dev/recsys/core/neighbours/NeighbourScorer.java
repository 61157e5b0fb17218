package dev.recsys.core.neighbours;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.recsys.core.Explanations;
import dev.recsys.core.ItemFilter;
import dev.recsys.core.PopularityScorer;
import dev.recsys.core.Recommendations;
import dev.recsys.core.ScoreQuery;
import dev.recsys.core.Scorer;
import dev.recsys.core.SimilarItems;
import dev.recsys.wire.ScoredItem;

/**
 * Ranks by an {@link ItemNeighbours} table: each of the user's last {@code lastItems} positive items casts
 * its neighbours' distribution, the newest weighted 1, the one before 1/2, and so on. Textbook details that
 * keep the baseline honest: popularity breaks ties, fills the list when the neighbours run out, and answers
 * users none of whose items has a neighbour (a cold start). Similar items read one item's row.
 */
public final class NeighbourScorer implements Scorer, SimilarItems {

    /** Popularity's share of a score: far below any neighbour weight, so it only orders ties. */
    private static final double TIE_BREAK = 1e-9;

    private final String name;
    private final ItemNeighbours table;
    private final int lastItems;
    private final PopularityScorer popularity;

    /**
     * @param name      what answers' {@code modelVersion} starts with ({@code cooccurrence}, {@code markov})
     * @param lastItems how many of the user's newest items cast votes (1 for a Markov chain)
     */
    public NeighbourScorer(String name, ItemNeighbours table, int lastItems, PopularityScorer popularity) {
        if (lastItems < 1) {
            throw new IllegalArgumentException("lastItems must be at least 1, was " + lastItems);
        }
        this.name = name;
        this.table = table;
        this.lastItems = lastItems;
        this.popularity = popularity;
    }

    public static NeighbourScorer cooccurrence(ItemNeighbours table, PopularityScorer popularity) {
        return new NeighbourScorer("cooccurrence", table, table.window(), popularity);
    }

    public static NeighbourScorer markovChain(ItemNeighbours table, PopularityScorer popularity) {
        return new NeighbourScorer("markov", table, 1, popularity);
    }

    /**
     * The neighbours' votes for a sequence, as a distribution over items (sums to 1 when any item voted),
     * or empty when none of its last items has a neighbour.
     */
    public Votes distribution(List<String> sequence) {
        List<String> voters = voters(sequence);
        return table.vote(voters, weights(voters.size()));
    }

    /**
     * What each of the sequence's voting items added to {@code item}'s vote, unnormalised: the parts are in
     * proportion to their shares of the item's vote (a voter's weight times its row's share for the item).
     */
    public Map<String, Double> contributions(List<String> sequence, String item) {
        List<String> voters = voters(sequence);
        double[] weights = weights(voters.size());
        Map<String, Double> out = new LinkedHashMap<>();
        for (int p = 0; p < voters.size(); p++) {
            double c = weights[p] * table.share(voters.get(p), item);
            if (c > 0) {
                out.merge(voters.get(p), c, Double::sum);
            }
        }
        return out;
    }

    /** The newest {@code lastItems} distinct items, newest first: a repeated item votes once, at its newest. */
    private List<String> voters(List<String> sequence) {
        List<String> voters = new ArrayList<>(lastItems);
        for (int i = sequence.size() - 1; i >= 0 && voters.size() < lastItems; i--) {
            if (!voters.contains(sequence.get(i))) {
                voters.add(sequence.get(i));
            }
        }
        return voters;
    }

    /** The newest voter weighs 1, the one before 1/2, and so on. */
    private static double[] weights(int voters) {
        double[] weights = new double[voters];
        for (int p = 0; p < voters; p++) {
            weights[p] = 1.0 / (p + 1);
        }
        return weights;
    }

    /** Each voted item with the voters that led to it (shares of its vote; popularity fills carry none). */
    private List<ScoredItem> explained(List<ScoredItem> items, List<String> sequence) {
        List<ScoredItem> out = new ArrayList<>(items.size());
        for (ScoredItem i : items) {
            Map<String, Double> parts = contributions(sequence, i.itemId());
            double sum = parts.values().stream().mapToDouble(Double::doubleValue).sum();
            out.add(i.unknown() != null ? i : i.explained(Explanations.of(parts, sum)));
        }
        return out;
    }

    /**
     * Where this scorer's top {@code k} puts {@code item} for a history whose {@link #distribution} is
     * {@code votes}, the history's own items excluded: 0 first, -1 not in it. Popularity answers when nothing
     * voted, as in {@link #score}.
     */
    public int rank(Votes votes, List<String> history, String item, int k) {
        ScoreQuery q = new ScoreQuery(null, history, Set.copyOf(history), k);
        List<ScoredItem> items = votes.isEmpty() ? popularity.score(List.of(q)).get(0).items()
                : top(votes, q, k, null);
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).itemId().equals(item)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public List<Recommendations> score(List<ScoreQuery> queries) {
        List<Recommendations> out = new ArrayList<>(queries.size());
        for (ScoreQuery q : queries) {
            Votes votes = distribution(q.sequence());
            if (votes.isEmpty()) {
                Recommendations p = popularity.score(List.of(q)).get(0);
                out.add(new Recommendations(p.items(), p.modelVersion(), true));
            } else {
                List<ScoredItem> items = q.rerank() ? rerank(votes, q.candidates()) : top(votes, q, q.k(), null);
                out.add(new Recommendations(q.explain() ? explained(items, q.sequence()) : items, version(), false));
            }
        }
        return out;
    }

    private String version() {
        return name + "@" + table.links();
    }

    /**
     * The best {@code k} allowed items by votes, then by popularity to fill up; {@code self} never. Popularity
     * is looked up only for the items that can make the list: those at or above the k-th best vote.
     */
    private List<ScoredItem> top(Votes votes, ScoreQuery q, int k, String self) {
        int[] allowed = new int[votes.size()];
        int n = 0;
        for (int i = 0; i < votes.size(); i++) {
            String item = votes.item(i);
            if (!item.equals(self) && q.filter().allows(item)) {
                allowed[n++] = i;
            }
        }
        double threshold = kthLargest(votes, allowed, n, k);
        List<ScoredItem> ranked = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            int i = allowed[j];
            if (votes.weight(i) >= threshold) {
                String item = votes.item(i);
                ranked.add(new ScoredItem(item, votes.weight(i) + TIE_BREAK * popularity.score(item)));
            }
        }
        ranked.sort((a, b) -> {
            int byScore = Double.compare(b.score(), a.score());
            return byScore != 0 ? byScore : a.itemId().compareTo(b.itemId());
        });
        List<ScoredItem> items = new ArrayList<>(ranked.subList(0, Math.min(k, ranked.size())));
        if (items.size() < k) {
            // Fewer neighbours than asked for: popular items the filter allows fill the rest, scored below.
            Set<String> taken = new HashSet<>();
            items.forEach(i -> taken.add(i.itemId()));
            if (self != null) {
                taken.add(self);
            }
            ScoreQuery more = new ScoreQuery(null, List.of(), q.filter().alsoExcluding(taken), k - items.size(),
                    null);
            for (ScoredItem p : popularity.score(List.of(more)).get(0).items()) {
                items.add(new ScoredItem(p.itemId(), TIE_BREAK * p.score()));
            }
        }
        return items;
    }

    /** The k-th largest vote among the first {@code n} of {@code at}, or the smallest if there are fewer. */
    private static double kthLargest(Votes votes, int[] at, int n, int k) {
        if (n <= k) {
            double min = Double.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                min = Math.min(min, votes.weight(at[j]));
            }
            return min;
        }
        // A min-heap of the k largest seen so far.
        double[] heap = new double[k];
        for (int j = 0; j < k; j++) {
            heap[j] = votes.weight(at[j]);
        }
        java.util.Arrays.sort(heap);
        for (int j = k; j < n; j++) {
            double v = votes.weight(at[j]);
            if (v > heap[0]) {
                heap[0] = v;
                siftDown(heap);
            }
        }
        return heap[0];
    }

    private static void siftDown(double[] heap) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            int r = l + 1;
            int m = i;
            if (l < heap.length && heap[l] < heap[m]) {
                m = l;
            }
            if (r < heap.length && heap[r] < heap[m]) {
                m = r;
            }
            if (m == i) {
                return;
            }
            double t = heap[i];
            heap[i] = heap[m];
            heap[m] = t;
            i = m;
        }
    }

    /** Candidates by votes, then popularity; candidates with neither go last, flagged, in the given order. */
    private List<ScoredItem> rerank(Votes votes, List<String> candidates) {
        Map<String, Double> byItem = new HashMap<>();
        votes.forEach(byItem::put);
        List<ScoredItem> known = new ArrayList<>(candidates.size());
        List<ScoredItem> unknown = new ArrayList<>();
        for (String c : candidates) {
            Double v = byItem.get(c);
            double p = popularity.score(c);
            if (v == null && p == 0) {
                unknown.add(ScoredItem.unknown(c));
            } else {
                known.add(new ScoredItem(c, (v == null ? 0 : v) + TIE_BREAK * p));
            }
        }
        known.sort((a, b) -> Double.compare(b.score(), a.score()));
        known.addAll(unknown);
        return known;
    }

    @Override
    public Optional<Recommendations> similar(String itemId, ItemFilter filter, int k) {
        Votes row = table.vote(List.of(itemId), new double[] { 1 });
        if (row.isEmpty()) {
            return Optional.empty();
        }
        Set<String> neighbours = new HashSet<>();
        row.forEach((item, w) -> neighbours.add(item));
        ScoreQuery q = new ScoreQuery(null, List.of(itemId), filter, k, null);
        // Only neighbours: an item's similar items padded with popular ones would claim a likeness not seen.
        List<ScoredItem> items = top(row, q, k, itemId).stream().filter(i -> neighbours.contains(i.itemId())).toList();
        return Optional.of(new Recommendations(items, version(), false));
    }
}
