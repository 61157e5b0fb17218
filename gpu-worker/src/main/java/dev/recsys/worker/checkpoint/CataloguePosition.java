package dev.recsys.worker.checkpoint;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.recsys.core.checkpoint.CheckpointImage;
import dev.recsys.wire.ItemUpdate;

/**
 * How far into the {@code items} topic the catalogue goes: per partition, the offset of the first update not
 * applied (or refused) yet. The items consumer applies each record and advances this under one lock; a
 * checkpoint copies the catalogue under the same lock, so the offsets it stores name exactly what it holds,
 * and a restart resumes from there instead of from what compaction left at the topic's start.
 */
@ApplicationScoped
public class CataloguePosition {

    private final Map<Integer, Long> nextOffsets = new TreeMap<>();
    private boolean restored;
    /** Records handled since start: a checkpoint is due when this moved since the last one. */
    private volatile long handled;

    /** Set from the checkpoint the worker starts from, before the items consumer starts. */
    public synchronized void restore(Map<Integer, Long> offsets) {
        nextOffsets.clear();
        nextOffsets.putAll(offsets);
        restored = true;
    }

    /** Where to resume each partition from; empty (read from the start) without a checkpoint's catalogue. */
    public synchronized Map<Integer, Long> resumeAt() {
        return restored ? Map.copyOf(nextOffsets) : Map.of();
    }

    /** Runs {@code handle} for the record at {@code offset} and then moves past it, with checkpoints held off. */
    public synchronized void handling(int partition, long offset, Runnable handle) {
        handle.run();
        nextOffsets.merge(partition, offset + 1, Math::max);
        handled++;
    }

    /** Records handled since start. */
    public long handled() {
        return handled;
    }

    /** The catalogue's entries and the offsets they cover, as of one moment. */
    public synchronized CheckpointImage.CatalogueState cut(Supplier<java.util.List<ItemUpdate>> entries) {
        return new CheckpointImage.CatalogueState(entries.get(), Map.copyOf(nextOffsets));
    }
}
