package dev.recsys.eval;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class BaselinesTest {

    final List<int[]> train = List.of(new int[] { 1, 2, 3 }, new int[] { 1, 2, 4 }, new int[] { 4, 5 },
            new int[] { 4, 5 }, new int[] { 4, 1 });

    @Test
    void markovChainFollowsTheMostFrequentTransition() {
        float[] s = Baselines.markovChain(6, train).scores(List.of(new int[] { 3, 4 }))[0];
        assertTrue(s[5] > s[1] && s[1] > s[2], java.util.Arrays.toString(s));
    }

    @Test
    void itemKnnFavoursItemsSharingUsersWithTheLastItems() {
        float[] s = Baselines.itemKnn(6, train, 1).scores(List.of(new int[] { 3 }))[0];
        assertTrue(s[1] > s[5] && s[2] > s[5], java.util.Arrays.toString(s));
    }

    @Test
    void popularityCountsInteractions() {
        float[] s = Baselines.popularity(6, train).scores(List.of(new int[0]))[0];
        assertTrue(s[4] > s[1] && s[1] > s[2] && s[2] > s[3], java.util.Arrays.toString(s));
    }
}
