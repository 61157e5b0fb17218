package dev.recsys.stack.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import dev.recsys.eval.Dataset;

/**
 * What the scale benchmarks' synthetic users are made of: history lengths drawn from a ratings file's real
 * users, and items drawn from a Zipf law (exponent 1) over a catalogue.
 */
final class SyntheticUsers {

    /** One real user's events in all and positive events (rated 3.5 or more, or unrated). */
    record Length(int events, int positives) {
    }

    private SyntheticUsers() {
    }

    /** Each user's length in the ratings file, in the file's user order. */
    static Length[] lengths(Path ratings) throws IOException {
        Map<String, int[]> byUser = new LinkedHashMap<>();
        for (Dataset.Interaction i : Dataset.interactions(ratings)) {
            int[] n = byUser.computeIfAbsent(i.user(), u -> new int[2]);
            n[0]++;
            if (Double.isNaN(i.rating()) || i.rating() >= 3.5) {
                n[1]++;
            }
        }
        return byUser.values().stream().map(n -> new Length(n[0], n[1])).toArray(Length[]::new);
    }

    /** Item ranks 0..n-1, rank k drawn in proportion to 1 / (k + 1). */
    static final class ZipfItems {

        private final double[] cdf;

        ZipfItems(int n) {
            cdf = new double[n];
            double sum = 0;
            for (int k = 0; k < n; k++) {
                sum += 1.0 / (k + 1);
                cdf[k] = sum;
            }
            for (int k = 0; k < n; k++) {
                cdf[k] /= sum;
            }
        }

        int draw(Random random) {
            int rank = Arrays.binarySearch(cdf, random.nextDouble());
            return Math.min(cdf.length - 1, rank < 0 ? -rank - 1 : rank);
        }
    }
}
