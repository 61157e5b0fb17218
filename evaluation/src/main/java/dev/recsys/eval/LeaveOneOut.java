package dev.recsys.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Each user's last item is the test target and the one before it the validation target; the model trains
 * on what comes before both. Users with fewer than 3 items are left out.
 */
public final class LeaveOneOut {

    /** Training sequences: each user's items but the last two. */
    public final List<int[]> train = new ArrayList<>();
    /**
     * Each user's items but the last: what a model is refit on once validation has chosen its settings, so
     * that the test target is one step past its training data, as the validation target was.
     */
    public final List<int[]> trainAndValidation = new ArrayList<>();
    public final Task validation = new Task();
    public final Task test = new Task();

    /** Inputs (history, oldest first) and the item that came next. */
    public static final class Task {
        public final List<int[]> inputs = new ArrayList<>();
        public final List<Integer> targets = new ArrayList<>();

        public int size() {
            return targets.size();
        }
    }

    public LeaveOneOut(Iterable<int[]> sequences) {
        for (int[] s : sequences) {
            if (s.length < 3) {
                continue;
            }
            int n = s.length;
            train.add(Arrays.copyOf(s, n - 2));
            validation.inputs.add(Arrays.copyOf(s, n - 2));
            validation.targets.add(s[n - 2]);
            trainAndValidation.add(Arrays.copyOf(s, n - 1));
            test.inputs.add(Arrays.copyOf(s, n - 1));
            test.targets.add(s[n - 1]);
        }
    }
}
