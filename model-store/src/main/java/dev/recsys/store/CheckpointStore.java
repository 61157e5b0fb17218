package dev.recsys.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Versioned checkpoints in a {@link BlobStore}. Writing puts the blobs first, then a manifest listing each
 * with its size and SHA-256, then moves the {@code latest} pointer with a conditional write, so a crash at
 * any point leaves the previous checkpoint in force and two writers cannot silently overwrite each other.
 * Reading starts at the pointer and falls back to older checkpoints past any with a missing or damaged blob.
 * The newest {@code retain} checkpoints are kept.
 * <p>
 * Layout: {@code checkpoints/<id>/<blob>}, {@code checkpoints/<id>/manifest.json}, {@code latest}.
 */
public final class CheckpointStore {

    static final String ROOT = "checkpoints/";
    static final String MANIFEST = "manifest.json";
    static final String LATEST = "latest";
    private static final System.Logger LOG = System.getLogger(CheckpointStore.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BlobStore store;
    private final int retain;

    public CheckpointStore(BlobStore store, int retain) {
        if (retain < 1) {
            throw new IllegalArgumentException("retain must be at least 1, not " + retain);
        }
        this.store = store;
        this.retain = retain;
    }

    public BlobStore blobs() {
        return store;
    }

    /**
     * Writes a checkpoint and makes it the latest.
     *
     * @throws WriteConflictException    if another writer moved the pointer meanwhile (this checkpoint's
     *                                   blobs are removed again)
     * @throws StoreUnavailableException if the store fails; the previous checkpoint stays the latest
     */
    public Manifest write(Map<String, byte[]> blobs, Map<String, String> metadata) {
        Optional<StoredBlob> pointer = store.get(LATEST);
        long sequence = Math.max(pointer.map(p -> sequenceOf(text(p))).orElse(0L),
                manifestIds().stream().mapToLong(CheckpointStore::sequenceOf).max().orElse(0L)) + 1;
        // The random part keeps two writers that read the same sequence out of each other's blobs.
        String id = String.format("%012d-%s", sequence, UUID.randomUUID().toString().substring(0, 8));
        List<Manifest.Entry> entries = new ArrayList<>();
        for (var blob : blobs.entrySet()) {
            validName(blob.getKey());
            store.put(ROOT + id + "/" + blob.getKey(), blob.getValue());
            entries.add(new Manifest.Entry(blob.getKey(), blob.getValue().length, Digests.sha256(blob.getValue())));
        }
        Manifest manifest = new Manifest(id, sequence, System.currentTimeMillis(), entries, Map.copyOf(metadata));
        byte[] manifestBytes = json(manifest);
        try {
            store.putIfAbsent(ROOT + id + "/" + MANIFEST, manifestBytes);
        } catch (WriteConflictException e) {
            if (!landed(ROOT + id + "/" + MANIFEST, manifestBytes)) {
                throw e;
            }
        }
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        try {
            if (pointer.isPresent()) {
                store.putIfMatch(LATEST, idBytes, pointer.get().etag());
            } else {
                store.putIfAbsent(LATEST, idBytes);
            }
        } catch (WriteConflictException e) {
            if (landed(LATEST, idBytes)) {
                prune(id);
                return manifest;
            }
            remove(id);
            throw new WriteConflictException("checkpoint " + id + " not made latest in " + store.describe()
                    + ": another writer moved the pointer since it was read (" + e.getMessage() + ")");
        }
        prune(id);
        return manifest;
    }

    /**
     * Whether a conditional write that was refused had in fact landed: an HTTP client that retries a request
     * whose first attempt succeeded unseen gets 412 for its own write. The ids are unique, so equal bytes
     * can only be this writer's.
     */
    private boolean landed(String key, byte[] data) {
        return store.get(key).map(b -> b.holds(data)).orElse(false);
    }

    /** The newest checkpoint whose blobs are all present and intact, or empty if there is none. */
    public Optional<Checkpoint> loadLatest() {
        for (String id : candidates()) {
            Optional<Checkpoint> checkpoint = load(id);
            if (checkpoint.isPresent()) {
                return checkpoint;
            }
        }
        return Optional.empty();
    }

    /** The id the latest pointer names, or empty: one small read, for pollers. */
    public Optional<String> latestId() {
        return store.get(LATEST).map(CheckpointStore::text);
    }

    /** Ids of the checkpoints in the store, oldest first. */
    public List<String> ids() {
        return manifestIds();
    }

    /** The pointer's checkpoint first, then older ones newest first; with no pointer, all newest first. */
    private List<String> candidates() {
        List<String> ids = new ArrayList<>(manifestIds());
        ids.sort(Comparator.comparingLong(CheckpointStore::sequenceOf).reversed());
        Optional<String> latest = store.get(LATEST).map(CheckpointStore::text);
        if (latest.isEmpty()) {
            return ids;
        }
        long head = sequenceOf(latest.get());
        List<String> out = new ArrayList<>();
        out.add(latest.get());
        // Newer manifests than the pointer's belong to writes that never completed: not candidates.
        ids.stream().filter(i -> sequenceOf(i) < head).forEach(out::add);
        return out;
    }

    private Optional<Checkpoint> load(String id) {
        Optional<StoredBlob> raw = store.get(ROOT + id + "/" + MANIFEST);
        if (raw.isEmpty()) {
            skip(id, "its manifest is missing");
            return Optional.empty();
        }
        Manifest manifest;
        try {
            manifest = JSON.readValue(raw.get().data(), Manifest.class);
        } catch (IOException e) {
            skip(id, "its manifest is not readable JSON (" + e.getMessage() + ")");
            return Optional.empty();
        }
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        for (Manifest.Entry entry : manifest.blobs()) {
            Optional<StoredBlob> blob = store.get(ROOT + id + "/" + entry.name());
            if (blob.isEmpty()) {
                skip(id, "blob '" + entry.name() + "' is missing");
                return Optional.empty();
            }
            byte[] data = blob.get().data();
            if (data.length != entry.size() || !Digests.sha256(data).equals(entry.sha256())) {
                skip(id, "blob '" + entry.name() + "' does not match its manifest (size " + data.length + " vs "
                        + entry.size() + ", or SHA-256 differs)");
                return Optional.empty();
            }
            blobs.put(entry.name(), data);
        }
        return Optional.of(new Checkpoint(manifest, blobs));
    }

    private void skip(String id, String why) {
        LOG.log(System.Logger.Level.WARNING, "checkpoint {0} in {1} skipped: {2}; falling back to the one before",
                id, store.describe(), why);
    }

    /**
     * Removes every checkpoint older than {@code id} (by sequence), whatever the retention: after a user was
     * forgotten, the checkpoints that still held them must go once one without them is written.
     *
     * @return how many were removed
     */
    public int removeOlderThan(String id) {
        long keep = sequenceOf(id);
        int removed = 0;
        for (String other : manifestIds()) {
            if (sequenceOf(other) < keep) {
                remove(other);
                removed++;
            }
        }
        return removed;
    }

    /** Keeps the newest {@code retain} checkpoints and always the one the pointer names. */
    private void prune(String latest) {
        List<String> ids = new ArrayList<>(manifestIds());
        ids.sort(Comparator.comparingLong(CheckpointStore::sequenceOf).reversed());
        for (String id : ids.subList(Math.min(retain, ids.size()), ids.size())) {
            if (!id.equals(latest)) {
                remove(id);
            }
        }
    }

    /** Manifest first: without it a half-removed checkpoint is never a candidate. */
    private void remove(String id) {
        store.delete(ROOT + id + "/" + MANIFEST);
        for (String key : store.list(ROOT + id + "/")) {
            store.delete(key);
        }
    }

    private List<String> manifestIds() {
        return store.list(ROOT).stream()
                .filter(k -> k.endsWith("/" + MANIFEST))
                .map(k -> k.substring(ROOT.length(), k.length() - MANIFEST.length() - 1))
                .filter(id -> !id.contains("/"))
                .sorted(Comparator.comparingLong(CheckpointStore::sequenceOf))
                .toList();
    }

    static long sequenceOf(String id) {
        int dash = id.indexOf('-');
        try {
            return Long.parseLong(dash < 0 ? id : id.substring(0, dash));
        } catch (NumberFormatException e) {
            return -1; // not ours: never newer than a real checkpoint
        }
    }

    private static void validName(String name) {
        if (name.isEmpty() || name.contains("/") || name.equals(MANIFEST)) {
            throw new IllegalArgumentException("blob name '" + name + "': not empty, no '/', not " + MANIFEST);
        }
    }

    private static String text(StoredBlob blob) {
        return new String(blob.data(), StandardCharsets.UTF_8).trim();
    }

    private static byte[] json(Manifest manifest) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
        } catch (IOException e) {
            throw new IllegalStateException("manifest not serialisable", e);
        }
    }
}
