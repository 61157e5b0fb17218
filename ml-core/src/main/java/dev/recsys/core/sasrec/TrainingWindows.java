package dev.recsys.core.sasrec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Which stretches of each user's history a training epoch shows the model, each at most
 * {@code maxLength + 1} items long.
 */
public enum TrainingWindows {
    /** Each user's newest window only, as SASRec samples: every user weighs the same. */
    NEWEST,
    /** Every transition once: consecutive windows from the newest back, sharing one item. */
    ALL;

    /** The windows of {@code sequences} (oldest item first) for a model of {@code maxLength} positions. */
    public List<int[]> of(List<int[]> sequences, int maxLength) {
        List<int[]> out = new ArrayList<>();
        for (int[] s : sequences) {
            int end = s.length;
            while (true) {
                int start = Math.max(0, end - (maxLength + 1));
                if (end - start >= 2) {
                    out.add(Arrays.copyOfRange(s, start, end));
                }
                if (this == NEWEST || start == 0) {
                    break;
                }
                end = start + 1; // the next window's target is this one's first input
            }
        }
        return out;
    }

    /** The name a command line takes: {@code newest} or {@code all}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the choices when {@code label} is neither */
    public static TrainingWindows parse(String label) {
        for (TrainingWindows w : values()) {
            if (w.label().equals(label)) {
                return w;
            }
        }
        throw new IllegalArgumentException("training windows must be newest or all, not " + label);
    }
}
