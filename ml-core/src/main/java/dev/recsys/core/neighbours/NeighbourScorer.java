package dev.recsys.core.neighbours;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
    public Map<String, double[]> distribution(List<String> sequence) {
        Map<String, double[]> votes = new HashMap<>();
        double cast = 0;
        Set<String> counted = new HashSet<>();
        int position = 0;
        for (int i = sequence.size() - 1; i >= 0 && position < lastItems; i--) {
            String item = sequence.get(i);
            if (!counted.add(item)) {
                continue; // a repeated item votes once, at its newest position
            }
            position++;
            double w = 1.0 / position;
            if (table.addNormalisedRow(item, w, votes)) {
                cast += w;
            }
        }
        if (cast > 0) {
            for (double[] v : votes.values()) {
                v[0] /= cast;
            }
        }
        return votes;
    }

    @Override
    public List<Recommendations> score(List<ScoreQuery> queries) {
        List<Recommendations> out = new ArrayList<>(queries.size());
        for (ScoreQuery q : queries) {
            Map<String, double[]> votes = distribution(q.sequence());
            if (votes.isEmpty()) {
                Recommendations p = popularity.score(List.of(q)).get(0);
                out.add(new Recommendations(p.items(), p.modelVersion(), true));
            } else if (q.rerank()) {
                out.add(new Recommendations(rerank(votes, q.candidates()), version(), false));
            } else {
                out.add(new Recommendations(top(votes, q, q.k(), null), version(), false));
            }
        }
        return out;
    }

    private String version() {
        return name + "@" + table.links();
    }

    /** The best {@code k} allowed items by votes, then by popularity to fill up; {@code self} never. */
    private List<ScoredItem> top(Map<String, double[]> votes, ScoreQuery q, int k, String self) {
        List<ScoredItem> ranked = new ArrayList<>();
        for (var e : votes.entrySet()) {
            String item = e.getKey();
            if (!item.equals(self) && q.filter().allows(item)) {
                ranked.add(new ScoredItem(item, e.getValue()[0] + TIE_BREAK * popularity.score(item)));
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

    /** Candidates by votes, then popularity; candidates with neither go last, flagged, in the given order. */
    private List<ScoredItem> rerank(Map<String, double[]> votes, List<String> candidates) {
        List<ScoredItem> known = new ArrayList<>(candidates.size());
        List<ScoredItem> unknown = new ArrayList<>();
        for (String c : candidates) {
            double[] v = votes.get(c);
            double p = popularity.score(c);
            if (v == null && p == 0) {
                unknown.add(ScoredItem.unknown(c));
            } else {
                known.add(new ScoredItem(c, (v == null ? 0 : v[0]) + TIE_BREAK * p));
            }
        }
        known.sort((a, b) -> Double.compare(b.score(), a.score()));
        known.addAll(unknown);
        return known;
    }

    @Override
    public Optional<Recommendations> similar(String itemId, ItemFilter filter, int k) {
        Map<String, double[]> row = new HashMap<>();
        if (!table.addNormalisedRow(itemId, 1, row)) {
            return Optional.empty();
        }
        ScoreQuery q = new ScoreQuery(null, List.of(itemId), filter, k, null);
        // Only neighbours: an item's similar items padded with popular ones would claim a likeness not seen.
        List<ScoredItem> items = top(row, q, k, itemId).stream().filter(i -> row.containsKey(i.itemId())).toList();
        return Optional.of(new Recommendations(items, version(), false));
    }
}
