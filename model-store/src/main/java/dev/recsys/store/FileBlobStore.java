package dev.recsys.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Blobs as files under a folder: the embedded default, no server needed. A write goes to a temporary
 * file that is synced and then renamed over the key, so a reader or a crash never sees half a blob.
 * Conditional writes hold an exclusive lock on {@code .lock} in the folder, so they are atomic between
 * processes on one machine too. The entity tag is the content's SHA-256.
 */
public final class FileBlobStore implements BlobStore {

    private static final String LOCK = ".lock";
    private static final String TEMP = ".tmp-";
    /** One monitor per folder: the JVM refuses a second lock on a file that one of its threads holds. */
    private static final java.util.concurrent.ConcurrentHashMap<Path, Object> MONITORS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final Path root;

    public FileBlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot create the store folder " + this.root, e);
        }
    }

    @Override
    public Optional<StoredBlob> get(String key) {
        try {
            byte[] data = Files.readAllBytes(path(key));
            return Optional.of(new StoredBlob(data, Digests.sha256(data)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot read " + path(key), e);
        }
    }

    @Override
    public String put(String key, byte[] data) {
        write(path(key), data);
        return Digests.sha256(data);
    }

    @Override
    public String putIfAbsent(String key, byte[] data) {
        return locked(() -> {
            if (Files.exists(path(key))) {
                Optional<StoredBlob> current = get(key); // it may have been deleted since
                if (current.isPresent() && current.get().holds(data)) {
                    return current.get().etag();
                }
                throw new WriteConflictException(key + " already exists in " + describe());
            }
            return put(key, data);
        });
    }

    @Override
    public String putIfMatch(String key, byte[] data, String etag) {
        return locked(() -> {
            Optional<StoredBlob> current = get(key);
            if (current.isEmpty() || !current.get().etag().equals(etag)) {
                if (current.isPresent() && current.get().holds(data)) {
                    return current.get().etag();
                }
                throw new WriteConflictException(key + " in " + describe() + " is no longer at " + etag
                        + (current.isEmpty() ? " (it is gone)" : " (another writer changed it)"));
            }
            return put(key, data);
        });
    }

    @Override
    public List<String> list(String prefix) {
        List<String> keys = new java.util.ArrayList<>();
        try {
            Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
                @Override
                public java.nio.file.FileVisitResult visitFile(Path file,
                        java.nio.file.attribute.BasicFileAttributes attributes) {
                    if (attributes.isRegularFile()) {
                        keys.add(root.relativize(file).toString().replace(java.io.File.separatorChar, '/'));
                    }
                    return java.nio.file.FileVisitResult.CONTINUE;
                }

                @Override
                public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    // Gone between the directory read and this visit: a temp file renamed, a checkpoint removed
                    // by another process. Not part of the listing, not a failure of the store.
                    if (e instanceof java.nio.file.NoSuchFileException) {
                        return java.nio.file.FileVisitResult.CONTINUE;
                    }
                    throw e;
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw new StoreUnavailableException("cannot list " + root, e);
        }
        return keys.stream()
                .filter(k -> !k.equals(LOCK) && !k.substring(k.lastIndexOf('/') + 1).startsWith(TEMP))
                .filter(k -> k.startsWith(prefix))
                .sorted()
                .toList();
    }

    @Override
    public void delete(String key) {
        try {
            Files.deleteIfExists(path(key));
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot delete " + path(key), e);
        }
    }

    @Override
    public String describe() {
        return root.toUri().toString();
    }

    private Path path(String key) {
        if (key.isEmpty() || key.startsWith("/") || key.contains("//") || key.contains("\\")
                || List.of(key.split("/")).contains("..") || key.equals(LOCK)) {
            throw new IllegalArgumentException("not a valid blob key: '" + key + "'");
        }
        return root.resolve(key);
    }

    private static void write(Path target, byte[] data) {
        Path temp = target.resolveSibling(TEMP + UUID.randomUUID());
        try {
            Files.createDirectories(target.getParent());
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(data);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                ch.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the write already failed; that error is the one to report
            }
            throw new StoreUnavailableException("cannot write " + target, e);
        }
    }

    private <T> T locked(java.util.function.Supplier<T> action) {
        // The file lock excludes other processes; the monitor excludes other threads (and other stores on
        // the same folder) in this one, which the JVM's file locks do not.
        synchronized (MONITORS.computeIfAbsent(root, r -> new Object())) {
            try (FileChannel ch = FileChannel.open(root.resolve(LOCK), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
                return action.get();
            } catch (IOException e) {
                throw new StoreUnavailableException("cannot lock " + root.resolve(LOCK), e);
            }
        }
    }
}
