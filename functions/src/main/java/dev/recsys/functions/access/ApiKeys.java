package dev.recsys.functions.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The API keys a request may present, each with its scopes. Written {@code KEY} (every scope) or
 * {@code KEY:scope+scope} ({@code ingest}, {@code catalogue}, {@code recommend}). Each lookup takes the same
 * time whatever the key presented: both sides are hashed to fixed-length digests compared with
 * {@link MessageDigest#isEqual}, and every configured key is compared, so timing says nothing about how much
 * of a key was right.
 */
public final class ApiKeys {

    private record Entry(byte[] digest, Set<Scope> scopes) {
    }

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = entries;
    }

    /**
     * @throws IllegalArgumentException naming the entry's position (never the key) when an entry is blank or
     *                                  names an unknown scope
     */
    public static ApiKeys parse(List<String> written) {
        List<Entry> out = new ArrayList<>(written.size());
        for (int i = 0; i < written.size(); i++) {
            String w = written.get(i).strip();
            int colon = w.lastIndexOf(':');
            String key = colon < 0 ? w : w.substring(0, colon);
            if (key.isBlank()) {
                throw new IllegalArgumentException("API key #" + (i + 1) + " is empty");
            }
            Set<Scope> scopes = EnumSet.allOf(Scope.class);
            if (colon >= 0) {
                scopes = EnumSet.noneOf(Scope.class);
                for (String s : w.substring(colon + 1).split("\\+")) {
                    try {
                        scopes.add(Scope.parse(s.strip()));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("API key #" + (i + 1) + ": " + e.getMessage(), e);
                    }
                }
            }
            out.add(new Entry(digest(key), Set.copyOf(scopes)));
        }
        return new ApiKeys(List.copyOf(out));
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int count() {
        return entries.size();
    }

    /** The presented key's scopes, or empty when it is not an accepted key. */
    public Optional<Set<Scope>> scopesOf(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        byte[] candidate = digest(presented);
        Set<Scope> found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.digest(), candidate) && found == null) {
                found = e.scopes();
            }
        }
        return Optional.ofNullable(found);
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
