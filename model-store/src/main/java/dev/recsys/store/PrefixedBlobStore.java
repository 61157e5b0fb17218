package dev.recsys.store;

import java.util.List;
import java.util.Optional;

/**
 * The blobs under one folder of another store, as a store of their own: so that several
 * {@link CheckpointStore}s (one per feedback partition) share a bucket, each with its own checkpoints and
 * {@code latest} pointer. Closing it leaves the store it views open.
 */
public final class PrefixedBlobStore implements BlobStore {

    private final BlobStore store;
    private final String prefix;

    /** @param prefix a folder path ending in '/', e.g. {@code partitions/3/} */
    public PrefixedBlobStore(BlobStore store, String prefix) {
        if (prefix.isEmpty() || !prefix.endsWith("/") || prefix.startsWith("/") || prefix.contains("..")) {
            throw new IllegalArgumentException("prefix must be a relative folder ending in '/', was '" + prefix + "'");
        }
        this.store = store;
        this.prefix = prefix;
    }

    @Override
    public Optional<StoredBlob> get(String key) {
        return store.get(prefix + key);
    }

    @Override
    public String put(String key, byte[] data) {
        return store.put(prefix + key, data);
    }

    @Override
    public String putIfAbsent(String key, byte[] data) {
        return store.putIfAbsent(prefix + key, data);
    }

    @Override
    public String putIfMatch(String key, byte[] data, String etag) {
        return store.putIfMatch(prefix + key, data, etag);
    }

    @Override
    public List<String> list(String under) {
        return store.list(prefix + under).stream().map(k -> k.substring(prefix.length())).toList();
    }

    @Override
    public void delete(String key) {
        store.delete(prefix + key);
    }

    @Override
    public String describe() {
        String outer = store.describe();
        return outer + (outer.endsWith("/") ? "" : "/") + prefix;
    }
}
