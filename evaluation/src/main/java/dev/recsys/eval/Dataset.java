package dev.recsys.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.recsys.core.ItemVocabulary;

/**
 * Users' interaction sequences read from a file, in time order, items as vocabulary rows.
 * <p>
 * Two formats: CSV with a header naming user, item, and optionally rating and timestamp columns
 * (MovieLens: {@code userId,movieId,rating,timestamp}); or plain text, one {@code user item [timestamp]} per
 * line separated by white space (the public SASRec/BERT4Rec files), each user's lines already in time
 * order. Equal timestamps keep file order, so the order is deterministic.
 */
public final class Dataset {

    public final ItemVocabulary items;
    /** Users in order of first appearance, with their item rows oldest first. */
    public final LinkedHashMap<String, int[]> sequences;

    private Dataset(ItemVocabulary items, LinkedHashMap<String, int[]> sequences) {
        this.items = items;
        this.sequences = sequences;
    }

    /**
     * @param minInteractions users with fewer interactions (after the rating filter) are dropped
     * @param minRating       with a rating column, interactions rated below this are dropped; NaN keeps all
     */
    public static Dataset read(Path file, int minInteractions, double minRating) throws IOException {
        Map<String, List<Row>> byUser = new LinkedHashMap<>();
        for (Row row : rows(file)) {
            add(byUser, row, minRating);
        }
        ItemVocabulary items = new ItemVocabulary();
        LinkedHashMap<String, int[]> sequences = new LinkedHashMap<>();
        for (var e : byUser.entrySet()) {
            List<Row> rows = e.getValue();
            if (rows.size() < minInteractions) {
                continue;
            }
            rows.sort(Comparator.comparingLong((Row r) -> r.timestamp).thenComparingLong(r -> r.line));
            int[] seq = new int[rows.size()];
            for (int i = 0; i < seq.length; i++) {
                seq[i] = items.add(rows.get(i).item);
            }
            sequences.put(e.getKey(), seq);
        }
        return new Dataset(items, sequences);
    }

    /**
     * Every interaction in the file, in time order across users (equal timestamps in file order): what a
     * replay sends. Rating is NaN and timestamp 0 where the file has no such column.
     */
    public static List<Interaction> interactions(Path file) throws IOException {
        List<Interaction> out = new ArrayList<>();
        for (Row r : rows(file)) {
            out.add(new Interaction(r.user, r.item, r.rating, r.timestamp));
        }
        // rows() are in file order, and the sort is stable.
        out.sort(Comparator.comparingLong(Interaction::timestamp));
        return out;
    }

    public record Interaction(String user, String item, double rating, long timestamp) {

        /** The time in epoch milliseconds (MovieLens counts seconds); 0 where the file has none. */
        public long millis() {
            return timestamp < 100_000_000_000L ? timestamp * 1000 : timestamp;
        }
    }

    private static List<Row> rows(Path file) throws IOException {
        List<Row> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = in.readLine();
            if (first == null) {
                throw new IllegalArgumentException(file + " is empty");
            }
            Format format = Format.detect(first);
            long line = 1;
            if (!format.header) {
                out.add(format.parse(first, file, line));
            }
            for (String l; (l = in.readLine()) != null;) {
                line++;
                if (!l.isBlank()) {
                    out.add(format.parse(l, file, line));
                }
            }
        }
        return out;
    }

    private static void add(Map<String, List<Row>> byUser, Row row, double minRating) {
        if (!Double.isNaN(minRating) && !Double.isNaN(row.rating) && row.rating < minRating) {
            return;
        }
        byUser.computeIfAbsent(row.user, u -> new ArrayList<>()).add(row);
    }

    public int interactions() {
        return sequences.values().stream().mapToInt(s -> s.length).sum();
    }

    private record Row(String user, String item, double rating, long timestamp, long line) {
    }

    /** Column positions, found from a CSV header or fixed for plain text. */
    private record Format(boolean header, String separator, int user, int item, int rating, int timestamp) {

        static Format detect(String firstLine) {
            if (firstLine.contains(",")) {
                String[] names = firstLine.toLowerCase(Locale.ROOT).split(",");
                int user = find(names, "userid", "user_id", "user");
                int item = find(names, "itemid", "item_id", "movieid", "movie_id", "item");
                if (user < 0 || item < 0) {
                    throw new IllegalArgumentException("CSV header needs user and item columns, got: " + firstLine);
                }
                return new Format(true, ",", user, item, find(names, "rating"),
                        find(names, "timestamp", "time", "ts"));
            }
            return new Format(false, "\\s+", 0, 1, -1, 2);
        }

        private static int find(String[] names, String... wanted) {
            for (String w : wanted) {
                for (int i = 0; i < names.length; i++) {
                    if (names[i].trim().equals(w)) {
                        return i;
                    }
                }
            }
            return -1;
        }

        Row parse(String line, Path file, long number) {
            String[] f = line.trim().split(separator);
            if (f.length <= Math.max(user, item)) {
                throw new IllegalArgumentException(file + ":" + number + ": expected user and item, got: " + line);
            }
            try {
                double r = rating >= 0 && rating < f.length ? Double.parseDouble(f[rating]) : Double.NaN;
                long t = timestamp >= 0 && timestamp < f.length ? Long.parseLong(f[timestamp].trim()) : 0L;
                return new Row(f[user].trim(), f[item].trim(), r, t, number);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ":" + number + ": " + e.getMessage() + " in: " + line);
            }
        }
    }
}
