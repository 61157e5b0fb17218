package dev.recsys.store;

import java.util.List;
import java.util.Optional;

/**
 * Named byte blobs with conditional writes: the few operations a checkpoint needs from object storage.
 * Keys are relative paths with '/' separators. Every implementation gives the same answers; the tests run
 * one contract against each.
 */
public interface BlobStore extends AutoCloseable {

    /** The blob and its entity tag, or empty when there is none. */
    Optional<StoredBlob> get(String key);

    /** Writes unconditionally; returns the new entity tag. */
    String put(String key, byte[] data);

    /**
     * Writes only if no blob has this key. If the blob there already holds exactly these bytes, that is no
     * conflict and its tag is returned: so a retried request whose first attempt landed unseen succeeds.
     *
     * @throws WriteConflictException if a blob with other bytes is there
     */
    String putIfAbsent(String key, byte[] data);

    /**
     * Writes only if the blob's entity tag is still {@code etag}; as above, a blob that already holds exactly
     * these bytes is no conflict.
     *
     * @throws WriteConflictException if it has changed to other bytes or is gone
     */
    String putIfMatch(String key, byte[] data, String etag);

    /** Keys under {@code prefix}, in lexical order. */
    List<String> list(String prefix);

    /** Removes the blob; nothing happens if there is none. */
    void delete(String key);

    /** Where this store is, for log lines: {@code file:///...} or {@code s3://bucket/prefix}. */
    String describe();

    @Override
    default void close() {
    }
}
