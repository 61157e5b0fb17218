package dev.recsys.store;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBlobStoreTest extends BlobStoreContract {

    @TempDir
    Path dir;
    private int stores;

    @Override
    BlobStore newStore() {
        return BlobStores.open(dir.resolve("store-" + stores++).toUri().toString(), S3Settings.aws("us-east-1"));
    }

    @Test
    void keysCannotLeaveTheFolder() {
        BlobStore store = newStore();
        for (String key : new String[] { "../x", "/abs", "a//b", "a/../../b", "" }) {
            assertThrows(IllegalArgumentException.class, () -> store.put(key, bytes("x")), key);
        }
    }

    @Test
    void temporaryFilesOfAnInterruptedWriteAreNotListed() throws Exception {
        BlobStore store = newStore();
        store.put("a/b", bytes("x"));
        Path folder = Path.of(java.net.URI.create(store.describe()));
        java.nio.file.Files.write(folder.resolve("a/.tmp-crashed"), bytes("half"));
        assertTrue(store.list("a/").equals(java.util.List.of("a/b")), store.list("a/").toString());
    }
}
