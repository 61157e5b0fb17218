package dev.recsys.core.sasrec;

import java.util.concurrent.CompletableFuture;

/**
 * Requests from other threads that the training thread answers between two steps, when the weights and
 * Adam's state are consistent: a checkpoint's read of the training state, and a re-fit's weights to take up.
 */
final class TrainerHandOffs {

    /** Weights from a full pass to take up, and who waits for it. */
    record Adoption(SasRecModel.Weights weights, CompletableFuture<Void> done) {
    }

    private final PendingUsers wake;
    private CompletableFuture<OnlineTrainer.TrainerState> checkpoint;
    private Adoption adoption;
    private String closed;

    /** @param wake woken when a request arrives, so that an idle training thread answers it at once */
    TrainerHandOffs(PendingUsers wake) {
        this.wake = wake;
    }

    /** The pending checkpoint request, or a new one (several callers share one answer). */
    CompletableFuture<OnlineTrainer.TrainerState> requestCheckpoint() {
        CompletableFuture<OnlineTrainer.TrainerState> c;
        synchronized (this) {
            if (closed != null) {
                return CompletableFuture.failedFuture(new IllegalStateException(closed));
            }
            if (checkpoint == null) {
                checkpoint = new CompletableFuture<>();
            }
            c = checkpoint;
        }
        wake.wake(); // outside this lock: the training thread asks waiting() while holding the inbox's
        return c;
    }

    /** Weights to take up; replaces (and fails) an adoption not yet taken up. */
    CompletableFuture<Void> requestAdoption(SasRecModel.Weights weights) {
        Adoption replaced;
        Adoption a;
        synchronized (this) {
            if (closed != null) {
                return CompletableFuture.failedFuture(new IllegalStateException(closed));
            }
            replaced = adoption;
            a = adoption = new Adoption(weights, new CompletableFuture<>());
        }
        if (replaced != null) {
            replaced.done().completeExceptionally(new IllegalStateException("replaced by newer weights"));
        }
        wake.wake();
        return a.done();
    }

    synchronized boolean waiting() {
        return checkpoint != null || adoption != null;
    }

    synchronized CompletableFuture<OnlineTrainer.TrainerState> takeCheckpoint() {
        CompletableFuture<OnlineTrainer.TrainerState> c = checkpoint;
        checkpoint = null;
        return c;
    }

    synchronized Adoption takeAdoption() {
        Adoption a = adoption;
        adoption = null;
        return a;
    }

    /** Refuses every later request and fails those not answered, with {@code why}. */
    void close(String why) {
        CompletableFuture<OnlineTrainer.TrainerState> c;
        Adoption a;
        synchronized (this) {
            closed = why;
            c = takeCheckpoint();
            a = takeAdoption();
        }
        if (c != null) {
            c.completeExceptionally(new IllegalStateException(why));
        }
        if (a != null) {
            a.done().completeExceptionally(new IllegalStateException(why));
        }
    }
}
