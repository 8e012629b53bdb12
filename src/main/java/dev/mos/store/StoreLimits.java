package dev.mos.store;

/** The bounds a store keeps: events per session (oldest dropped first) and total estimated bytes. */
public record StoreLimits(int maxEventsPerSession, long maxBytes) {

    public StoreLimits {
        if (maxEventsPerSession < 1) {
            throw new IllegalArgumentException("maxEventsPerSession must be at least 1");
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
    }
}
