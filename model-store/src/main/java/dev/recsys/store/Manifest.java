package dev.recsys.store;

import java.util.List;
import java.util.Map;

/**
 * What a checkpoint holds, written after its blobs: each blob's name, size and SHA-256, so that a reader
 * can tell a complete checkpoint from one with a missing or damaged part.
 *
 * @param sequence  increases with every checkpoint written to the store
 * @param metadata  small values the writer wants back (counters, offsets, versions)
 */
public record Manifest(String id, long sequence, long createdAtMillis, List<Entry> blobs,
        Map<String, String> metadata) {

    public record Entry(String name, long size, String sha256) {
    }
}
