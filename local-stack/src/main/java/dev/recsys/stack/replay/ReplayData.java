package dev.recsys.stack.replay;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import dev.recsys.eval.Dataset.Interaction;
import dev.recsys.eval.Dataset;

/**
 * The timeline a replay sends: a dataset's interactions in time order, optionally for a sample of its users,
 * cut into a warm part (the first {@code warmFraction}, used to warm-start the model and preload every
 * variant) and a test part replayed test-then-train.
 */
public final class ReplayData {

    final List<Interaction> warm;
    final List<Interaction> test;
    final int users;
    final double positiveRating;

    private ReplayData(List<Interaction> warm, List<Interaction> test, int users, double positiveRating) {
        this.warm = warm;
        this.test = test;
        this.users = users;
        this.positiveRating = positiveRating;
    }

    public static ReplayData read(Path file, int userSample, double warmFraction, int maxTestEvents, double positiveRating,
            long seed) throws IOException {
        List<Interaction> all = Dataset.interactions(file);
        Set<String> users = new LinkedHashSet<>();
        all.forEach(i -> users.add(i.user()));
        if (userSample > 0 && userSample < users.size()) {
            List<String> shuffled = new ArrayList<>(users);
            Collections.shuffle(shuffled, new Random(seed));
            Set<String> keep = new HashSet<>(shuffled.subList(0, userSample));
            all = all.stream().filter(i -> keep.contains(i.user())).toList();
            users.retainAll(keep);
        }
        int cut = (int) Math.round(all.size() * warmFraction);
        List<Interaction> test = all.subList(cut, all.size());
        if (maxTestEvents > 0 && test.size() > maxTestEvents) {
            test = test.subList(0, maxTestEvents);
        }
        return new ReplayData(List.copyOf(all.subList(0, cut)), List.copyOf(test), users.size(), positiveRating);
    }

    /** Liked, as the worker reads it (default weights): no rating, or a rating at or above the threshold. */
    public boolean positive(Interaction i) {
        return Double.isNaN(i.rating()) || i.rating() >= positiveRating;
    }

    /** The ingest JSON of one event: a rating where the file has one, else a view. */
    public static String json(Interaction i) {
        StringBuilder b = new StringBuilder(128).append("{\"userId\":").append(quote(i.user()))
                .append(",\"itemId\":").append(quote(i.item()));
        if (Double.isNaN(i.rating())) {
            b.append(",\"type\":\"view\"");
        } else {
            b.append(",\"type\":\"rating\",\"value\":").append(i.rating());
        }
        if (i.timestamp() > 0) {
            b.append(",\"timestamp\":").append(i.millis());
        }
        return b.append('}').toString();
    }

    public static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
