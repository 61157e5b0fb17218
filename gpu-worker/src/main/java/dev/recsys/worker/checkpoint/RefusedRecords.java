package dev.recsys.worker.checkpoint;

import java.time.Duration;

/**
 * Where refused records go (the dead-letter topics, kept by the Kafka adapter). A checkpoint moves the replay
 * point past the records it covers, so those refused before it must be delivered first: after a restart
 * they are not read again.
 */
public interface RefusedRecords {

    /** Waits at most {@code atMost} until what was refused so far is delivered (or failed, logged); false if longer. */
    boolean flush(Duration atMost);
}
