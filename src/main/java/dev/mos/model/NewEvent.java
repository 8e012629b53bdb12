package dev.mos.model;

/**
 * A validated event before storage has given it an id and a sequence number. {@code detailsJson} holds the
 * free-form details as compact JSON text: it is the cheapest faithful form to keep a million of in memory.
 */
public record NewEvent(
        String sessionId,
        EventType type,
        EventStatus status,
        long timestamp,
        Long durationMs,
        String parentId,
        String correlationId,
        String name,
        String description,
        String detailsJson,
        DisplayInfo displayInfo) {

    public Event stored(long id, long sequence) {
        return stored(sessionId, id, sequence);
    }

    /** Stores under {@code sharedSessionId}, an equal string that the store keeps once per session. */
    public Event stored(String sharedSessionId, long id, long sequence) {
        return new Event(id, sharedSessionId, sequence, type, status, timestamp, durationMs, parentId,
                correlationId, name, description, detailsJson, displayInfo);
    }
}
