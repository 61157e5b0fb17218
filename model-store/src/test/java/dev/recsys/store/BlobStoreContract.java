package dev.recsys.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * What every {@link BlobStore} must do, and {@link CheckpointStore} on top of it: the same tests run against
 * {@code file:} and a real S3-compatible server.
 */
abstract class BlobStoreContract {

    /** A store with nothing in it, not shared with other tests. */
    abstract BlobStore newStore();

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void putThenGetGivesTheBytesAndTheTag() {
        BlobStore store = newStore();
        assertTrue(store.get("a/b.bin").isEmpty());
        String tag = store.put("a/b.bin", bytes("hello"));
        StoredBlob blob = store.get("a/b.bin").orElseThrow();
        assertArrayEquals(bytes("hello"), blob.data());
        assertEquals(tag, blob.etag());
        String next = store.put("a/b.bin", bytes("hello again"));
        assertFalse(next.equals(tag), "a new content has a new tag");
        assertArrayEquals(bytes("hello again"), store.get("a/b.bin").orElseThrow().data());
    }

    @Test
    void putIfAbsentRefusesAnExistingKey() {
        BlobStore store = newStore();
        store.putIfAbsent("latest", bytes("1"));
        assertThrows(WriteConflictException.class, () -> store.putIfAbsent("latest", bytes("2")));
        assertArrayEquals(bytes("1"), store.get("latest").orElseThrow().data(), "the first write stays");
    }

    @Test
    void aConditionalWriteOfTheBytesAlreadyThereIsNotAConflict() {
        // What a retried request meets when its first attempt landed unseen (seen once in CI against S3Proxy:
        // the very first putIfAbsent of a fresh key refused with 412).
        BlobStore store = newStore();
        String first = store.putIfAbsent("latest", bytes("1"));
        assertEquals(first, store.putIfAbsent("latest", bytes("1")));
        String second = store.putIfMatch("latest", bytes("2"), first);
        assertEquals(second, store.putIfMatch("latest", bytes("2"), first));
        assertThrows(WriteConflictException.class, () -> store.putIfMatch("latest", bytes("3"), first));
        assertThrows(WriteConflictException.class, () -> store.putIfAbsent("latest", bytes("1")));
        assertArrayEquals(bytes("2"), store.get("latest").orElseThrow().data());
    }

    @Test
    void putIfMatchRefusesAStaleOrMissingTag() {
        BlobStore store = newStore();
        String first = store.put("latest", bytes("1"));
        String second = store.putIfMatch("latest", bytes("2"), first);
        assertThrows(WriteConflictException.class, () -> store.putIfMatch("latest", bytes("3"), first));
        assertArrayEquals(bytes("2"), store.get("latest").orElseThrow().data());
        store.putIfMatch("latest", bytes("4"), second);
        assertThrows(WriteConflictException.class, () -> store.putIfMatch("nothing-here", bytes("x"), second));
        assertTrue(store.get("nothing-here").isEmpty());
    }

    @Test
    void listsByPrefixInOrderAndDeletes() {
        BlobStore store = newStore();
        store.put("checkpoints/2/x", bytes("x"));
        store.put("checkpoints/1/y", bytes("y"));
        store.put("checkpoints/1/a", bytes("a"));
        store.put("other", bytes("o"));
        assertEquals(List.of("checkpoints/1/a", "checkpoints/1/y", "checkpoints/2/x"), store.list("checkpoints/"));
        assertEquals(List.of("checkpoints/1/a", "checkpoints/1/y"), store.list("checkpoints/1/"));
        store.delete("checkpoints/1/a");
        store.delete("checkpoints/1/a"); // twice: no error
        assertEquals(List.of("checkpoints/1/y", "checkpoints/2/x"), store.list("checkpoints/"));
    }

    @Test
    void checkpointRoundTripWithMetadata() {
        CheckpointStore checkpoints = new CheckpointStore(newStore(), 3);
        assertTrue(checkpoints.loadLatest().isEmpty(), "an empty store has no checkpoint");
        checkpoints.write(Map.of("weights", bytes("w1"), "vocabulary", bytes("v1")), Map.of("events", "10"));
        Manifest second = checkpoints.write(Map.of("weights", bytes("w2"), "vocabulary", bytes("v2")),
                Map.of("events", "20"));
        Checkpoint latest = checkpoints.loadLatest().orElseThrow();
        assertEquals(second.id(), latest.manifest().id());
        assertArrayEquals(bytes("w2"), latest.blob("weights"));
        assertArrayEquals(bytes("v2"), latest.blob("vocabulary"));
        assertEquals("20", latest.manifest().metadata().get("events"));
        assertEquals(2, latest.manifest().blobs().size());
    }

    @Test
    void aReaderTakesOnlyTheBlobsItPicksChecksThemAndCountsTheBytes() {
        BlobStore store = newStore();
        CheckpointStore checkpoints = new CheckpointStore(store, 5);
        Manifest first = checkpoints.write(Map.of("items", bytes("i1"), "users.0", bytes("u1-0"),
                "users.1", bytes("u1-1")), Map.of());
        Manifest second = checkpoints.write(Map.of("items", bytes("i2"), "users.0", bytes("u2-0"),
                "users.1", bytes("u2-1-long")), Map.of());
        long before = checkpoints.bytesRead();
        Checkpoint part = checkpoints.loadLatest(m -> name -> !name.equals("users.1"), c -> c).orElseThrow();
        assertEquals(second.id(), part.manifest().id());
        assertEquals(java.util.Set.of("items", "users.0"), part.blobs().keySet());
        long manifestBytes = store.get(CheckpointStore.ROOT + second.id() + "/" + CheckpointStore.MANIFEST)
                .orElseThrow().data().length;
        assertEquals(manifestBytes + "i2".length() + "u2-0".length(), checkpoints.bytesRead() - before);

        // A blob not picked may be damaged without harm; one picked that is damaged falls back as ever.
        store.put(CheckpointStore.ROOT + second.id() + "/users.1", bytes("damaged!!"));
        assertEquals(second.id(), checkpoints.loadLatest(m -> name -> !name.equals("users.1"), c -> c)
                .orElseThrow().manifest().id());
        store.put(CheckpointStore.ROOT + second.id() + "/users.0", bytes("u2-X"));
        assertEquals(first.id(), checkpoints.loadLatest(m -> name -> !name.equals("users.1"), c -> c)
                .orElseThrow().manifest().id());
    }

    @Test
    void aMissingBlobFallsBackToThePreviousCheckpoint() {
        BlobStore store = newStore();
        CheckpointStore checkpoints = new CheckpointStore(store, 5);
        Manifest first = checkpoints.write(Map.of("weights", bytes("w1")), Map.of());
        Manifest second = checkpoints.write(Map.of("weights", bytes("w2")), Map.of());
        store.delete(CheckpointStore.ROOT + second.id() + "/weights");
        Checkpoint loaded = checkpoints.loadLatest().orElseThrow();
        assertEquals(first.id(), loaded.manifest().id());
        assertArrayEquals(bytes("w1"), loaded.blob("weights"));
    }

    @Test
    void aCorruptedBlobFallsBackToThePreviousCheckpoint() {
        BlobStore store = newStore();
        CheckpointStore checkpoints = new CheckpointStore(store, 5);
        Manifest first = checkpoints.write(Map.of("weights", bytes("w1")), Map.of());
        Manifest second = checkpoints.write(Map.of("weights", bytes("w2")), Map.of());
        store.put(CheckpointStore.ROOT + second.id() + "/weights", bytes("w3")); // same size, other bytes
        assertEquals(first.id(), checkpoints.loadLatest().orElseThrow().manifest().id());
        store.delete(CheckpointStore.ROOT + first.id() + "/weights");
        assertTrue(checkpoints.loadLatest().isEmpty(), "no intact checkpoint left: start fresh");
    }

    @Test
    void aPointerThatIsMissingEmptyOrGarbageFallsBackToTheNewestListedCheckpoint() {
        BlobStore store = newStore();
        CheckpointStore checkpoints = new CheckpointStore(store, 5);
        checkpoints.write(Map.of("weights", bytes("w1")), Map.of());
        Manifest second = checkpoints.write(Map.of("weights", bytes("w2")), Map.of());
        // Once, an emptied pointer stopped the worker from starting: "not a valid blob key: 'checkpoints//...'".
        for (String pointer : new String[] { "", "   \n", "../etc", "000000000099-deadbeef", "\u0000garbage" }) {
            store.put(CheckpointStore.LATEST, bytes(pointer));
            assertEquals(second.id(), checkpoints.loadLatest().orElseThrow().manifest().id(), "pointer '" + pointer + "'");
            if (!pointer.startsWith("0000")) { // a well-formed id a poller may look for; loading falls back
                assertTrue(checkpoints.latestId().isEmpty(), "a poller is not sent to '" + pointer + "'");
            }
        }
        store.delete(CheckpointStore.LATEST);
        assertEquals(second.id(), checkpoints.loadLatest().orElseThrow().manifest().id(), "no pointer at all");
        // And the next write goes on from there.
        Manifest third = checkpoints.write(Map.of("weights", bytes("w3")), Map.of());
        assertEquals(third.id(), checkpoints.latestId().orElseThrow());
    }

    @Test
    void aManifestThatDoesNotParseOrLiesFallsBackToThePreviousCheckpoint() {
        BlobStore store = newStore();
        CheckpointStore checkpoints = new CheckpointStore(store, 5);
        Manifest first = checkpoints.write(Map.of("weights", bytes("w1")), Map.of());
        Manifest second = checkpoints.write(Map.of("weights", bytes("w2")), Map.of());
        String manifest = CheckpointStore.ROOT + second.id() + "/" + CheckpointStore.MANIFEST;
        for (String garbage : new String[] { "{not json", "null", "{}", "{\"id\":\"" + second.id()
                + "\",\"blobs\":[{\"name\":\"../../latest\",\"size\":1,\"sha256\":\"x\"}]}" }) {
            store.put(manifest, bytes(garbage));
            assertEquals(first.id(), checkpoints.loadLatest().orElseThrow().manifest().id(), garbage);
        }
    }

    @Test
    void aCheckpointThatDoesNotDecodeFallsBackToThePreviousOne() {
        BlobStore store = newStore();
        CheckpointStore checkpoints = new CheckpointStore(store, 5);
        checkpoints.write(Map.of("weights", bytes("w1")), Map.of());
        checkpoints.write(Map.of("weights", bytes("w2")), Map.of());
        // Intact bytes the codec refuses: a newer format, a size field past the heap.
        String decoded = checkpoints.loadLatest(c -> {
            String w = new String(c.blob("weights"), java.nio.charset.StandardCharsets.UTF_8);
            if (w.equals("w2")) {
                throw new OutOfMemoryError("Java heap space");
            }
            return w;
        }).orElseThrow();
        assertEquals("w1", decoded);
    }

    @Test
    void retentionKeepsTheNewest() {
        BlobStore store = newStore();
        CheckpointStore checkpoints = new CheckpointStore(store, 2);
        Manifest last = null;
        for (int i = 0; i < 4; i++) {
            last = checkpoints.write(Map.of("weights", bytes("w" + i)), Map.of());
        }
        List<String> ids = checkpoints.ids();
        assertEquals(2, ids.size(), ids.toString());
        assertEquals(last.id(), ids.get(1));
        assertEquals(2, store.list(CheckpointStore.ROOT).stream().filter(k -> k.endsWith("/weights")).count(),
                "old blobs are deleted with their manifests");
        assertArrayEquals(bytes("w3"), checkpoints.loadLatest().orElseThrow().blob("weights"));
    }

    @Test
    void twoWritersCannotSilentlyOverwriteEachOther() {
        BlobStore raw = newStore();
        CheckpointStore rival = new CheckpointStore(raw, 5);
        rival.write(Map.of("weights", bytes("base")), Map.of());
        // This writer's manifest write lets a rival checkpoint land first, between reading the pointer and
        // moving it: the race two workers on one prefix would run.
        BlobStore racing = new RacingStore(raw, () -> rival.write(Map.of("weights", bytes("rival")), Map.of()));
        CheckpointStore writer = new CheckpointStore(racing, 5);
        assertThrows(WriteConflictException.class, () -> writer.write(Map.of("weights", bytes("mine")), Map.of()));
        Checkpoint latest = rival.loadLatest().orElseThrow();
        assertArrayEquals(bytes("rival"), latest.blob("weights"), "the winner's checkpoint is the latest");
        assertEquals(2, rival.ids().size(), "the loser's checkpoint is removed again: " + rival.ids());
    }

    @Test
    void aConditionalWriteRetriedAfterItLandedIsNotAConflict() {
        // The store answers 412 to conditional writes that had already landed, as S3 does to an HTTP
        // client that retries a request whose first attempt succeeded unseen.
        BlobStore raw = newStore();
        BlobStore retrying = new RetriedWrites(raw);
        CheckpointStore checkpoints = new CheckpointStore(retrying, 3);
        checkpoints.write(Map.of("weights", bytes("w1")), Map.of());
        Manifest second = checkpoints.write(Map.of("weights", bytes("w2")), Map.of());
        assertEquals(second.id(), new CheckpointStore(raw, 3).loadLatest().orElseThrow().manifest().id());
    }

    /** Every conditional write lands, then reports a conflict. */
    private static final class RetriedWrites extends Delegating {
        RetriedWrites(BlobStore inner) {
            super(inner);
        }

        @Override
        public String putIfAbsent(String key, byte[] data) {
            inner.putIfAbsent(key, data);
            throw new WriteConflictException("412 on a retry of " + key);
        }

        @Override
        public String putIfMatch(String key, byte[] data, String etag) {
            inner.putIfMatch(key, data, etag);
            throw new WriteConflictException("412 on a retry of " + key);
        }
    }

    /** Passes everything to another store. */
    private static class Delegating implements BlobStore {
        final BlobStore inner;

        Delegating(BlobStore inner) {
            this.inner = inner;
        }

        @Override
        public Optional<StoredBlob> get(String key) {
            return inner.get(key);
        }

        @Override
        public String put(String key, byte[] data) {
            return inner.put(key, data);
        }

        @Override
        public String putIfAbsent(String key, byte[] data) {
            return inner.putIfAbsent(key, data);
        }

        @Override
        public String putIfMatch(String key, byte[] data, String etag) {
            return inner.putIfMatch(key, data, etag);
        }

        @Override
        public List<String> list(String prefix) {
            return inner.list(prefix);
        }

        @Override
        public void delete(String key) {
            inner.delete(key);
        }

        @Override
        public String describe() {
            return inner.describe();
        }
    }

    /** Runs {@code rival} once, just before the first manifest write. */
    private static final class RacingStore extends Delegating {
        private Runnable rival;

        RacingStore(BlobStore inner, Runnable rival) {
            super(inner);
            this.rival = rival;
        }

        @Override
        public String putIfAbsent(String key, byte[] data) {
            if (rival != null && key.endsWith("/" + CheckpointStore.MANIFEST)) {
                Runnable r = rival;
                rival = null;
                r.run();
            }
            return inner.putIfAbsent(key, data);
        }
    }
}
