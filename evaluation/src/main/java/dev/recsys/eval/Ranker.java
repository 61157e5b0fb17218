package dev.recsys.eval;

import java.util.List;

/** Scores every item row for each history; higher is better. Row 0 is padding and ignored. */
public interface Ranker {

    String name();

    float[][] scores(List<int[]> histories);
}
