package dev.mos.limits;

/** A token started more new sessions within the hour than limits.newSessionsPerHour allows. */
public final class SessionQuotaExceededException extends RuntimeException {

    private final long retryAfterSeconds;

    public SessionQuotaExceededException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
