package dev.recsys.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One folder of a file store as a store: every contract test, and folders that do not see each other. */
class PrefixedBlobStoreTest extends BlobStoreContract {

    @TempDir
    Path dir;
    private int stores;

    @Override
    BlobStore newStore() {
        return new PrefixedBlobStore(new FileBlobStore(dir.resolve("store-" + stores++)), "partitions/3/");
    }

    @Test
    void checkpointsInSiblingFoldersKeepToTheirOwn() {
        FileBlobStore shared = new FileBlobStore(dir.resolve("shared"));
        CheckpointStore three = new CheckpointStore(new PrefixedBlobStore(shared, "partitions/3/"), 2);
        CheckpointStore four = new CheckpointStore(new PrefixedBlobStore(shared, "partitions/4/"), 2);
        CheckpointStore root = new CheckpointStore(shared, 2);
        Manifest written = three.write(java.util.Map.of("part", bytes("users of 3")), java.util.Map.of());
        assertEquals(written.id(), three.loadLatest().orElseThrow().manifest().id());
        assertTrue(four.loadLatest().isEmpty(), "partition 4 has no checkpoint");
        assertTrue(root.loadLatest().isEmpty(), "the store's own checkpoints are apart from the partitions'");
        assertTrue(shared.list("").contains("partitions/3/latest"), shared.list("").toString());
        assertEquals(List.of("latest"), new PrefixedBlobStore(shared, "partitions/3/").list("l"));
    }

    @Test
    void aPrefixMustBeARelativeFolder() {
        FileBlobStore shared = new FileBlobStore(dir.resolve("shared"));
        for (String bad : new String[] { "", "partitions/3", "/abs/", "a/../" }) {
            assertThrows(IllegalArgumentException.class, () -> new PrefixedBlobStore(shared, bad), bad);
        }
    }
}
