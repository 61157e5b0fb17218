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
import java.util.function.Function;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Versioned checkpoints in a {@link BlobStore}. Writing puts the blobs first, then a manifest listing each
 * with its size and SHA-256, then moves the {@code latest} pointer with a conditional write, so a crash at
 * any point leaves the previous checkpoint in force and two writers cannot silently overwrite each other.
 * Reading starts at the pointer and falls back to older checkpoints past any with a missing, damaged or
 * undecodable blob or manifest; a pointer that is missing, empty or names no checkpoint in the store is
 * ignored, and the checkpoints found by listing are tried newest first. Each one skipped is logged with why.
 * The newest {@code retain} checkpoints are kept. A reader may take only some of a checkpoint's blobs (a serving
 * shard, its partitions' part and the item part): those it takes are checked against the manifest as whole
 * checkpoints are, and the bytes read are counted ({@link #bytesRead()}).
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
    private final java.util.concurrent.atomic.AtomicLong bytesRead = new java.util.concurrent.atomic.AtomicLong();

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
        return loadLatest(c -> c);
    }

    /**
     * The newest checkpoint whose blobs are all present and intact and that {@code decode} accepts, decoded;
     * empty if there is none. A checkpoint whose decoding throws (a codec's refusal, a truncated array, even
     * an {@link OutOfMemoryError} from a size field gone wrong) is skipped like a damaged one.
     *
     * @throws StoreUnavailableException if the store does not answer (never taken for damage)
     */
    public <T> Optional<T> loadLatest(Function<Checkpoint, T> decode) {
        return loadLatest(manifest -> blob -> true, decode);
    }

    /**
     * As {@link #loadLatest(Function)}, reading only the blobs {@code select} picks from each candidate's
     * manifest (the rest are neither read nor checked; the {@link Checkpoint} holds the picked ones only).
     */
    public <T> Optional<T> loadLatest(Function<Manifest, Predicate<String>> select, Function<Checkpoint, T> decode) {
        for (String id : candidates()) {
            Optional<Checkpoint> checkpoint = load(id, select);
            if (checkpoint.isEmpty()) {
                continue;
            }
            try {
                return Optional.of(decode.apply(checkpoint.get()));
            } catch (StoreUnavailableException e) {
                throw e;
            } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                skip(id, "it does not decode (" + e + ")");
            }
        }
        return Optional.empty();
    }

    /** Bytes of manifests and blobs read back so far (what a take-over costs the store). */
    public long bytesRead() {
        return bytesRead.get();
    }

    /** The id the latest pointer names, or empty (also when it is not a checkpoint id): one small read, for pollers. */
    public Optional<String> latestId() {
        return store.get(LATEST).map(CheckpointStore::text).filter(CheckpointStore::wellFormed);
    }

    /** Whether checkpoint {@code id} reads back: its manifest parses and every blob it lists matches. */
    public boolean intact(String id) {
        return wellFormed(id) && load(id, manifest -> blob -> true).isPresent();
    }

    /** Ids of the checkpoints in the store, oldest first. */
    public List<String> ids() {
        return manifestIds();
    }

    /**
     * The pointer's checkpoint first, then older ones newest first; with no usable pointer (missing, empty,
     * garbage, or naming a checkpoint the listing does not hold), all newest first.
     */
    private List<String> candidates() {
        List<String> ids = new ArrayList<>(manifestIds());
        ids.sort(Comparator.comparingLong(CheckpointStore::sequenceOf).reversed());
        Optional<String> pointer = store.get(LATEST).map(CheckpointStore::text);
        Optional<String> latest = pointer.filter(id -> wellFormed(id) && ids.contains(id));
        if (latest.isEmpty()) {
            pointer.ifPresent(p -> LOG.log(System.Logger.Level.WARNING, "the latest pointer in {0} names no "
                    + "checkpoint there (''{1}''): trying the {2} listed, newest first", store.describe(),
                    (p.length() > 40 ? p.substring(0, 40) + "..." : p).replaceAll("\\p{Cntrl}", "?"), ids.size()));
            return ids;
        }
        long head = sequenceOf(latest.get());
        List<String> out = new ArrayList<>();
        out.add(latest.get());
        // Newer manifests than the pointer's belong to writes that never completed: not candidates.
        ids.stream().filter(i -> sequenceOf(i) < head).forEach(out::add);
        return out;
    }

    private Optional<Checkpoint> load(String id, Function<Manifest, Predicate<String>> select) {
        Optional<StoredBlob> raw = store.get(ROOT + id + "/" + MANIFEST);
        if (raw.isEmpty()) {
            skip(id, "its manifest is missing");
            return Optional.empty();
        }
        bytesRead.addAndGet(raw.get().data().length);
        Manifest manifest;
        try {
            manifest = JSON.readValue(raw.get().data(), Manifest.class);
        } catch (IOException e) {
            skip(id, "its manifest is not readable JSON (" + e.getMessage() + ")");
            return Optional.empty();
        }
        if (manifest == null || manifest.blobs() == null || !id.equals(manifest.id())
                || manifest.blobs().stream().anyMatch(e -> e == null || !validBlobName(e.name()))) {
            skip(id, "its manifest is not one this store wrote (another id, no blob list, or a bad blob name)");
            return Optional.empty();
        }
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        Predicate<String> wanted = select.apply(manifest);
        for (Manifest.Entry entry : manifest.blobs()) {
            if (!wanted.test(entry.name())) {
                continue;
            }
            Optional<StoredBlob> blob = store.get(ROOT + id + "/" + entry.name());
            if (blob.isEmpty()) {
                skip(id, "blob '" + entry.name() + "' is missing");
                return Optional.empty();
            }
            byte[] data = blob.get().data();
            bytesRead.addAndGet(data.length);
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
                .filter(id -> !id.contains("/") && wellFormed(id))
                .sorted(Comparator.comparingLong(CheckpointStore::sequenceOf))
                .toList();
    }

    /** What {@link #write} names a checkpoint: a sequence number, a dash and eight hex digits. */
    static boolean wellFormed(String id) {
        return id.matches("[0-9]{1,19}-[0-9a-f]{8}");
    }

    static long sequenceOf(String id) {
        int dash = id.indexOf('-');
        try {
            return Long.parseLong(dash < 0 ? id : id.substring(0, dash));
        } catch (NumberFormatException e) {
            return -1; // not ours: never newer than a real checkpoint
        }
    }

    private static boolean validBlobName(String name) {
        return name != null && name.matches("[A-Za-z0-9._-]{1,100}") && !name.equals(MANIFEST);
    }

    private static void validName(String name) {
        if (!validBlobName(name)) {
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
