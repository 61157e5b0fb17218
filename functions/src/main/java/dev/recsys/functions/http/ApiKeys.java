package dev.recsys.functions.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The API keys a request may present. Each comparison takes the same time whatever the key presented:
 * both sides are hashed to fixed-length digests compared with {@link MessageDigest#isEqual}, and every
 * configured key is compared, so timing says nothing about how much of a key was right.
 */
public final class ApiKeys {

    private final List<byte[]> digests;

    public ApiKeys(List<String> keys) {
        this.digests = keys.stream().filter(k -> !k.isBlank()).map(ApiKeys::digest).toList();
    }

    /** False when no key is configured: then every request is accepted. */
    public boolean required() {
        return !digests.isEmpty();
    }

    public int count() {
        return digests.size();
    }

    public boolean accepts(String presented) {
        if (presented == null) {
            return false;
        }
        byte[] candidate = digest(presented);
        boolean match = false;
        for (byte[] d : digests) {
            match |= MessageDigest.isEqual(d, candidate);
        }
        return match;
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
