package dev.recsys.eval.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import dev.recsys.core.ScoreQuery;

/** What the scoring benchmarks share: random score queries. */
public final class BenchmarkInputs {

    private BenchmarkInputs() {
    }

    /** {@code n} queries for top 10 over histories of {@code length} random items ("i0".."i<items-1>"), seen excluded. */
    public static List<ScoreQuery> queries(int n, int length, int items, Random random) {
        List<ScoreQuery> out = new ArrayList<>();
        for (int q = 0; q < n; q++) {
            List<String> seq = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < length; i++) {
                String id = "i" + random.nextInt(items);
                seq.add(id);
                seen.add(id);
            }
            out.add(new ScoreQuery("u" + q, seq, seen, 10));
        }
        return out;
    }
}
