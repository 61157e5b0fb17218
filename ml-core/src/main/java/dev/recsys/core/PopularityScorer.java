package dev.recsys.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.recsys.wire.ScoredItem;

/**
 * Recency-weighted popularity: each positive event adds its weight, halved every {@code halfLifeMillis} of
 * event time. The ranking is rebuilt at most every {@code refreshNanos}, off the feedback path, and read
 * without locks by scoring.
 */
public final class PopularityScorer implements Scorer {

    /** Past this many half-lives between the anchor and the newest event, masses are rescaled. */
    private static final double RESCALE_AT = 64;

    private final double halfLifeMillis;
    private final long refreshNanos;
    private final Object lock = new Object();

    // Guarded by lock. mass = sum(weight * 2^((t - anchor) / halfLife)), so adding is O(1) and old events
    // fade relative to new ones without touching every item.
    private final Map<String, double[]> mass = new HashMap<>();
    private long anchor = Long.MIN_VALUE;
    private long newest = Long.MIN_VALUE;
    private long events;
    private boolean dirty;
    private long builtAt;

    private volatile Ranking ranking = new Ranking(new String[0], new double[0], 0);

    public PopularityScorer(double halfLifeMillis, long refreshNanos) {
        if (!(halfLifeMillis > 0)) {
            throw new IllegalArgumentException("half-life must be positive");
        }
        this.halfLifeMillis = halfLifeMillis;
        this.refreshNanos = refreshNanos;
    }

    public void record(String itemId, double weight, long timestamp) {
        if (weight <= 0) {
            return;
        }
        synchronized (lock) {
            if (anchor == Long.MIN_VALUE) {
                anchor = timestamp;
            }
            double halvings = (timestamp - anchor) / halfLifeMillis;
            if (halvings > RESCALE_AT) {
                double shrink = Math.pow(2, -halvings);
                for (double[] m : mass.values()) {
                    m[0] *= shrink;
                }
                anchor = timestamp;
                halvings = 0;
            }
            mass.computeIfAbsent(itemId, i -> new double[1])[0] += weight * Math.pow(2, halvings);
            newest = Math.max(newest, timestamp);
            events++;
            dirty = true;
        }
    }

    /** Whether the item has had a positive event. */
    public boolean knows(String itemId) {
        synchronized (lock) {
            return mass.containsKey(itemId);
        }
    }

    /** Positive events recorded, across restarts (checkpoints carry the count). */
    public long events() {
        synchronized (lock) {
            return events;
        }
    }

    /** Items that have had a positive event. */
    public int items() {
        synchronized (lock) {
            return mass.size();
        }
    }

    /** The decayed masses and their time anchor, for a checkpoint. */
    public Image state() {
        synchronized (lock) {
            java.util.TreeMap<String, Double> masses = new java.util.TreeMap<>();
            mass.forEach((item, m) -> masses.put(item, m[0]));
            return new Image(masses, anchor, newest, events);
        }
    }

    /** Replaces the counts with a checkpoint's. */
    public void restore(Image state) {
        synchronized (lock) {
            mass.clear();
            state.masses().forEach((item, m) -> mass.put(item, new double[] { m }));
            anchor = state.anchor();
            newest = state.newest();
            events = state.events();
            dirty = true;
            builtAt = System.nanoTime() - refreshNanos - 1;
        }
    }

    /** @param masses by item: sum of weight * 2^((t - anchor) / halfLife) */
    public record Image(java.util.SortedMap<String, Double> masses, long anchor, long newest, long events) {
    }

    @Override
    public List<Recommendations> score(List<ScoreQuery> queries) {
        Ranking r = current();
        String version = "popularity@" + r.events;
        List<Recommendations> out = new ArrayList<>(queries.size());
        for (ScoreQuery q : queries) {
            boolean cold = q.sequence().isEmpty();
            if (q.rerank()) {
                out.add(new Recommendations(rerank(r, q.candidates()), version, cold));
                continue;
            }
            List<ScoredItem> items = new ArrayList<>(Math.min(q.k(), r.items.length));
            for (int i = 0; i < r.items.length && items.size() < q.k(); i++) {
                if (q.filter().allows(r.items[i])) {
                    items.add(new ScoredItem(r.items[i], r.scores[i]));
                }
            }
            out.add(new Recommendations(items, version, cold));
        }
        return out;
    }

    /** The item's decayed weight as of the last ranking, or 0 if it has none (a tie-breaker for other scorers). */
    public double score(String itemId) {
        Ranking r = current();
        Integer at = r.position().get(itemId);
        return at == null ? 0 : r.scores[at];
    }

    /** Candidates by popularity; those never seen positively have no score and go last, in the given order. */
    private static List<ScoredItem> rerank(Ranking r, List<String> candidates) {
        List<ScoredItem> known = new ArrayList<>(candidates.size());
        List<ScoredItem> unknown = new ArrayList<>();
        for (String c : candidates) {
            Integer at = r.position().get(c);
            if (at == null) {
                unknown.add(ScoredItem.unknown(c));
            } else {
                known.add(new ScoredItem(c, r.scores[at]));
            }
        }
        // Stable: equal scores keep the caller's order.
        known.sort((a, b) -> Double.compare(b.score(), a.score()));
        known.addAll(unknown);
        return known;
    }

    /** Called from the scoring thread only; the lock is held just long enough to copy the masses. */
    private Ranking current() {
        long now = System.nanoTime();
        String[] items;
        double[] masses;
        double toNewest;
        long counted;
        synchronized (lock) {
            if (!dirty || now - builtAt < refreshNanos) {
                return ranking;
            }
            builtAt = now;
            dirty = false;
            items = mass.keySet().toArray(new String[0]);
            masses = new double[items.length];
            for (int i = 0; i < items.length; i++) {
                masses[i] = mass.get(items[i])[0];
            }
            // Scores are expressed at the newest event's time, so they read as "weighted events, decayed".
            toNewest = Math.pow(2, -(newest - anchor) / halfLifeMillis);
            counted = events;
        }
        Integer[] order = new Integer[items.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> {
            int byMass = Double.compare(masses[b], masses[a]);
            return byMass != 0 ? byMass : items[a].compareTo(items[b]);
        });
        String[] sorted = new String[items.length];
        double[] scores = new double[items.length];
        for (int i = 0; i < order.length; i++) {
            sorted[i] = items[order[i]];
            scores[i] = masses[order[i]] * toNewest;
        }
        ranking = new Ranking(sorted, scores, counted);
        return ranking;
    }

    /** One built ranking; the item-to-position index only re-ranking needs is made on its first use. */
    private static final class Ranking {
        final String[] items;
        final double[] scores;
        final long events;
        private volatile Map<String, Integer> position;

        Ranking(String[] items, double[] scores, long events) {
            this.items = items;
            this.scores = scores;
            this.events = events;
        }

        /** Two callers at once may each build it; either copy is right. */
        Map<String, Integer> position() {
            if (position == null) {
                Map<String, Integer> out = new HashMap<>(items.length * 2);
                for (int i = 0; i < items.length; i++) {
                    out.put(items[i], i);
                }
                position = out;
            }
            return position;
        }
    }
}
