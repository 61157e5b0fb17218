package dev.recsys.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * 64 bits of SHA-256: how per-user state that must be findable by user keeps the user without the id (the
 * applied event ids). One digest object per caller: they are not shared
 * between threads.
 */
final class UserDigests {

    private UserDigests() {
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The first 64 bits of the SHA-256 of the user id's UTF-8 bytes. */
    static long of(MessageDigest sha256, String userId) {
        return first64(sha256.digest(userId.getBytes(StandardCharsets.UTF_8)));
    }

    static long first64(byte[] digest) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (digest[i] & 0xff);
        }
        return v;
    }
}
