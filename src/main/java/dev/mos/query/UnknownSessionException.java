package dev.mos.query;

/** A session id that the store does not know (or no session at all when "latest" was asked for). */
public final class UnknownSessionException extends RuntimeException {

    public UnknownSessionException(String message) {
        super(message, null, false, false);
    }
}
