package dev.mos.store;

/** Counters a backend reports for health and metrics. */
public record StoreStats(
        int sessions,
        long retainedEvents,
        long estimatedBytes,
        long budgetBytes,
        long droppedEvents,
        long evictedSessions,
        long expiredSessions) {
}
