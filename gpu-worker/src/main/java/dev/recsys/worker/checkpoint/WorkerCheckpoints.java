package dev.recsys.worker.checkpoint;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.recsys.core.checkpoint.CheckpointImage;
import dev.recsys.core.checkpoint.CheckpointImageCodec;
import dev.recsys.store.BlobStores;
import dev.recsys.store.CheckpointStore;
import dev.recsys.store.Manifest;
import dev.recsys.store.PrefixedBlobStore;
import dev.recsys.store.S3Settings;
import dev.recsys.store.StoreUnavailableException;
import dev.recsys.worker.config.WorkerConfig;

/** The worker's checkpoint store, if one is configured: what it reads on start and writes while running. */
@ApplicationScoped
public class WorkerCheckpoints {

    private static final Logger LOG = Logger.getLogger(WorkerCheckpoints.class);
    private static final int LOAD_ATTEMPTS = 3;

    private final Optional<CheckpointStore> store;
    private final WorkerConfig.Checkpoint config;
    /**
     * Serving shards' checkpoints of their partitions' users, one store per partition under
     * {@code partitions/<count>-<p>/}: the topic's partition count in the name, as users map to partitions by it.
     */
    private final java.util.Map<String, CheckpointStore> partitionStores = new java.util.concurrent.ConcurrentHashMap<>();

    @Inject
    public WorkerCheckpoints(WorkerConfig config) {
        this.config = config.checkpoint();
        this.store = this.config.store().map(uri -> new CheckpointStore(BlobStores.open(uri, s3(this.config.s3())),
                this.config.retain()));
    }

    public boolean enabled() {
        return store.isPresent();
    }

    public String describe() {
        return store.map(s -> s.blobs().describe()).orElse("none");
    }

    /**
     * The newest intact checkpoint, decoded, for a worker starting; empty when there is none (or no store). A
     * store that does not answer is tried {@value #LOAD_ATTEMPTS} times and then fails the start: starting
     * fresh instead would silently drop whatever the log no longer holds.
     */
    public Optional<Restored> loadAtStart() {
        return loadAtStart(true);
    }

    /** As {@link #loadAtStart()}; without {@code histories}, the item part only (a serving shard's start). */
    public Optional<Restored> loadAtStart(boolean histories) {
        if (store.isEmpty()) {
            return Optional.empty();
        }
        Duration wait = config.backoff();
        for (int attempt = 1;; attempt++) {
            try {
                Optional<Restored> latest = histories ? loadLatest() : loadItemPart();
                int held = latest.isEmpty() ? store.get().ids().size() : 0;
                if (held > 0 && !config.startFreshOverDamaged()) {
                    // Starting fresh would replay only what the log still holds and then overwrite them.
                    throw new IllegalStateException("checkpoint store " + describe() + " holds "
                            + held + " checkpoints and none of them reads back (the log says why "
                            + "each was skipped); not starting fresh over them without "
                            + "worker.checkpoint.start-fresh-over-damaged=true");
                }
                if (latest.isEmpty()) {
                    LOG.infof("no intact checkpoint in %s: starting fresh, replaying the feedback log from its "
                            + "beginning", describe());
                }
                return latest;
            } catch (StoreUnavailableException e) {
                if (attempt >= LOAD_ATTEMPTS) {
                    throw new IllegalStateException("checkpoint store " + describe() + " unreachable after "
                            + attempt + " attempts; not starting without the state it holds: " + e.getMessage(), e);
                }
                LOG.warnf("checkpoint store %s unreachable (attempt %d of %d), retrying in %s: %s", describe(),
                        attempt, LOAD_ATTEMPTS, wait, e.getMessage());
                sleep(wait);
                wait = wait.multipliedBy(2);
            }
        }
    }

    /**
     * The newest intact checkpoint, decoded, in one attempt; empty when there is none (or no store).
     *
     * @throws StoreUnavailableException if the store does not answer
     */
    public Optional<Restored> loadLatest() {
        return loadLatest(manifest -> blob -> true);
    }

    /**
     * The newest intact checkpoint's item part and the histories of the users of {@code partitions} (of
     * {@code partitionCount}): what a serving shard taking them over reads. Users of other partitions may
     * come with it where the checkpoint is not split that way; the caller keeps its own.
     *
     * @throws StoreUnavailableException if the store does not answer
     */
    public Optional<Restored> loadForPartitions(Set<Integer> partitions, int partitionCount) {
        return loadLatest(manifest -> CheckpointImageCodec.partitionsAndItems(manifest.metadata(), partitions,
                partitionCount));
    }

    /**
     * The newest intact checkpoint without any user's history: the model, vocabulary, tables and popularity
     * a replica or shard follows.
     *
     * @throws StoreUnavailableException if the store does not answer
     */
    public Optional<Restored> loadItemPart() {
        return loadLatest(manifest -> CheckpointImageCodec.itemPart(
                manifest.blobs().stream().map(Manifest.Entry::name).toList()));
    }

    private Optional<Restored> loadLatest(Function<Manifest, Predicate<String>> select) {
        if (store.isEmpty()) {
            return Optional.empty();
        }
        // One that does not decode is skipped (and logged) like a damaged one: the one before it is tried.
        return store.get().loadLatest(select, c -> new Restored(c.manifest().id(),
                CheckpointImageCodec.decode(c.blobs(), c.manifest().metadata())));
    }

    /** Bytes of checkpoints read back from the store since start, the partitions' parts included. */
    public long bytesRead() {
        return store.map(CheckpointStore::bytesRead).orElse(0L)
                + partitionStores.values().stream().mapToLong(CheckpointStore::bytesRead).sum();
    }

    /**
     * Writes a serving shard's checkpoint of one partition's users (their histories and event ids, and the
     * partition's next offset) as that partition's latest part.
     */
    public Manifest writePart(int partition, int partitionCount, CheckpointImage part) {
        CheckpointImageCodec.Encoded encoded = CheckpointImageCodec.encode(part);
        return partitionStore(partition, partitionCount).write(encoded.blobs(), encoded.metadata());
    }

    /**
     * The newest intact part a serving shard wrote of {@code partition}'s users, or empty when none has.
     *
     * @throws StoreUnavailableException if the store does not answer
     */
    public Optional<Restored> loadPart(int partition, int partitionCount) {
        return partitionStore(partition, partitionCount).loadLatest(c -> new Restored(c.manifest().id(),
                CheckpointImageCodec.decode(c.blobs(), c.manifest().metadata())));
    }

    /** Removes the parts of {@code partition} older than {@code id} (after a user in them was forgotten). */
    public int removePartsOlderThan(int partition, int partitionCount, String id) {
        return partitionStore(partition, partitionCount).removeOlderThan(id);
    }

    private CheckpointStore partitionStore(int partition, int partitionCount) {
        CheckpointStore root = store.orElseThrow(() -> new IllegalStateException("no checkpoint store configured"));
        return partitionStores.computeIfAbsent(partitionCount + "-" + partition, name -> new CheckpointStore(
                new PrefixedBlobStore(root.blobs(), "partitions/" + name + "/"), config.retain()));
    }

    /** Whether checkpoint {@code id} is in the store with every blob intact and a manifest that parses. */
    public boolean readsBack(String id) {
        return store.map(s -> s.intact(id)).orElse(false);
    }

    /** The latest pointer's checkpoint id, or empty. */
    public Optional<String> latestId() {
        return store.flatMap(CheckpointStore::latestId);
    }

    /** Writes {@code state} as the latest checkpoint, users' histories in one part per partition of {@code split}. */
    public Manifest write(CheckpointImage state, CheckpointImageCodec.Split split) {
        CheckpointImageCodec.Encoded encoded = CheckpointImageCodec.encode(state, split);
        return store.orElseThrow(() -> new IllegalStateException("no checkpoint store configured"))
                .write(encoded.blobs(), encoded.metadata());
    }

    /** Removes every checkpoint older than {@code id}; the number removed. */
    public int removeOlderThan(String id) {
        return store.map(s -> s.removeOlderThan(id)).orElse(0);
    }

    /** A checkpoint read back, with its id. */
    public record Restored(String id, CheckpointImage state) {
    }

    @PreDestroy
    void close() {
        store.ifPresent(s -> s.blobs().close());
    }

    static S3Settings s3(WorkerConfig.Checkpoint.S3 s3) {
        return new S3Settings(s3.endpoint(), s3.region(), s3.pathStyle(), s3.accessKey(), s3.secretKey(), s3.timeout());
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the checkpoint store", e);
        }
    }
}
