package dev.recsys.stack.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Ingest request bodies prepared before a benchmark, so the load generator spends its time sending: from a
 * MovieLens-style {@code ratings.csv} (userId,movieId,rating,timestamp) or, without one, synthetic Zipf-like
 * feedback.
 */
public final class Workload {

    final String name;
    final List<byte[]> bodies;
    final List<String> users;
    /** Every item id in the events, in order of first appearance. */
    final List<String> items;
    final long events;
    final int meanEventBytes;
    private final Map<byte[], Integer> eventsPerBody = new IdentityHashMap<>();

    private Workload(String name, List<String> events, Set<String> users, Set<String> items, int batch) {
        this.name = name;
        this.events = events.size();
        this.users = List.copyOf(users);
        this.items = List.copyOf(items);
        this.bodies = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < events.size(); i += batch) {
            List<String> slice = events.subList(i, Math.min(events.size(), i + batch));
            byte[] body = ("[" + String.join(",", slice) + "]").getBytes(StandardCharsets.UTF_8);
            bodies.add(body);
            eventsPerBody.put(body, slice.size());
        }
        for (String e : events) {
            bytes += e.length();
        }
        // The worker's record also carries a generated eventId (a UUID, ~50 bytes with its key).
        this.meanEventBytes = (int) (bytes / Math.max(1, events.size())) + 50;
    }

    /** How many events one of this workload's bodies holds. */
    public long eventsIn(byte[] body) {
        return eventsPerBody.get(body);
    }

    /** MovieLens movie ids become item ids with this prefix (movies.csv imports must use the same). */
    public static final String MOVIE_PREFIX = "m";

    public static Workload movieLens(Path ratings, int batch) throws IOException {
        List<String> events = new ArrayList<>();
        Set<String> users = new LinkedHashSet<>();
        Set<String> items = new LinkedHashSet<>();
        try (BufferedReader r = Files.newBufferedReader(ratings, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null || !header.startsWith("userId,movieId,rating,timestamp")) {
                throw new IllegalArgumentException(ratings + ": expected the MovieLens header "
                        + "userId,movieId,rating,timestamp, got " + header);
            }
            for (String line; (line = r.readLine()) != null;) {
                String[] f = line.split(",");
                String user = "u" + f[0];
                users.add(user);
                items.add(MOVIE_PREFIX + f[1]);
                events.add("{\"userId\":\"" + user + "\",\"itemId\":\"m" + f[1] + "\",\"type\":\"rating\",\"value\":"
                        + f[2] + ",\"timestamp\":" + Long.parseLong(f[3]) * 1000 + "}");
            }
        }
        return new Workload("MovieLens " + ratings.getFileName(), events, users, items, batch);
    }

    public static Workload synthetic(int batch, Random random) {
        int userCount = 5_000;
        int itemCount = 10_000;
        String[] types = {"view", "view", "view", "click", "click", "like", "purchase", "skip"};
        List<String> events = new ArrayList<>();
        Set<String> users = new LinkedHashSet<>();
        Set<String> items = new LinkedHashSet<>();
        long t = System.currentTimeMillis() - 86_400_000L;
        for (int i = 0; i < 100_000; i++) {
            String user = "u" + random.nextInt(userCount);
            users.add(user);
            // Squaring a uniform draw skews towards low ids: a few items get most of the feedback.
            int item = (int) (itemCount * Math.pow(random.nextDouble(), 2));
            items.add("i" + item);
            events.add("{\"userId\":\"" + user + "\",\"itemId\":\"i" + item + "\",\"type\":\""
                    + types[random.nextInt(types.length)] + "\",\"timestamp\":" + (t + i) + "}");
        }
        return new Workload("synthetic", events, users, items, batch);
    }
}
