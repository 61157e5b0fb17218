package dev.recsys.store;

/** A conditional write lost: another writer created or changed the blob first. */
public final class WriteConflictException extends RuntimeException {

    public WriteConflictException(String message) {
        super(message);
    }
}
