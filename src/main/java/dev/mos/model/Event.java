package dev.mos.model;

/**
 * An event as stored: the server-assigned {@code id} is unique in the store, {@code sequence} increases by one per
 * event within its session and is the cursor for streaming.
 */
public record Event(
        long id,
        String sessionId,
        long sequence,
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

    public static final String ID_PREFIX = "evt_";

    /** The id as clients see it. */
    public String externalId() {
        return formatId(id);
    }

    public static String formatId(long id) {
        return ID_PREFIX + Long.toString(id, 36);
    }

    /** Parses an id produced by {@link #formatId}; -1 when the text is not one of ours. */
    public static long parseId(String text) {
        if (text == null || !text.startsWith(ID_PREFIX) || text.length() == ID_PREFIX.length()) {
            return -1;
        }
        try {
            return Long.parseLong(text, ID_PREFIX.length(), text.length(), 36);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
