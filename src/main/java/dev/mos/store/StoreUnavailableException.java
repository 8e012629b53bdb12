package dev.mos.store;

/**
 * The store could not do what was asked (database down, disk full, circuit open). Retryable: nothing was
 * acknowledged, so a client may send the same event again.
 */
public final class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message) {
        super(message);
    }

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
