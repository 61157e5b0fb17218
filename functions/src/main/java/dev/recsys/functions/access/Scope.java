package dev.recsys.functions.access;

import java.util.Locale;
import java.util.Map;

/** What an API key may do; each function needs one. */
public enum Scope {
    /** Write feedback and forget users: {@code /ingest}, {@code /forget-user}. */
    INGEST,
    /** Write the item catalogue: {@code /items}. */
    CATALOGUE,
    /** Read recommendations: {@code /recommend}, {@code /recommend-session}, {@code /rerank}, {@code /similar-items}. */
    RECOMMEND;

    private static final Map<String, Scope> BY_PATH = Map.of("/ingest", INGEST, "/forget-user", INGEST,
            "/items", CATALOGUE, "/recommend", RECOMMEND, "/recommend-session", RECOMMEND, "/rerank", RECOMMEND,
            "/similar-items", RECOMMEND);

    /** The scope a path needs, or null for a path that is no function (any accepted key may learn it is 404). */
    public static Scope of(String path) {
        return BY_PATH.get(path);
    }

    /** Every call's name: its path without the slash. */
    public static java.util.Set<String> calls() {
        return CALLS;
    }

    private static final java.util.Set<String> CALLS = BY_PATH.keySet().stream().map(p -> p.substring(1))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code ingest}, {@code catalogue} or {@code recommend}. */
    public static Scope parse(String label) {
        for (Scope s : values()) {
            if (s.label().equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown API key scope '" + label + "'; one of ingest, catalogue, recommend");
    }
}
