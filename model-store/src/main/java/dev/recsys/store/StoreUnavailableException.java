package dev.recsys.store;

/** The store could not be reached or failed within its time limit; the operation may be retried. */
public final class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
