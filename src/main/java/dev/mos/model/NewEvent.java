package dev.mos.model;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

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
        DisplayInfo displayInfo,
        String sender) {

    /** An event nobody's token sent (stdio, a server without tokens, an import run in-process). */
    public NewEvent(String sessionId, EventType type, EventStatus status, long timestamp, Long durationMs,
            String parentId, String correlationId, String name, String description, String detailsJson,
            DisplayInfo displayInfo) {
        this(sessionId, type, status, timestamp, durationMs, parentId, correlationId, name, description,
                detailsJson, displayInfo, null);
    }

    /** The same event as sent with the named token (its session's sender, when the session has none yet). */
    public NewEvent withSender(String tokenName) {
        return new NewEvent(sessionId, type, status, timestamp, durationMs, parentId, correlationId, name,
                description, detailsJson, displayInfo, tokenName);
    }

    /** Immutable and thread-safe: a parser factory, not state. */
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * The project this event names: top-level {@code details.project}, else {@code details.cwd} (Claude Code's
     * working directory), else null. Cheap for the common event that names neither: the text is searched before
     * anything is parsed.
     */
    public String project() {
        String d = detailsJson;
        if (d == null || (!d.contains("\"project\"") && !d.contains("\"cwd\""))) {
            return null;
        }
        String cwd = null;
        try (JsonParser p = JSON.createParser(d)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String key = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.VALUE_STRING && !p.getString().isBlank()) {
                    if (key.equals("project")) {
                        return p.getString().strip();
                    }
                    if (key.equals("cwd") && cwd == null) {
                        cwd = p.getString().strip();
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (JacksonException e) {
            return cwd;
        }
        return cwd;
    }

    /**
     * The coding agent this event names: top-level {@code details.agent} (claude-code, codex, gemini-cli, or what
     * an OpenTelemetry source calls itself), else null. Cheap for an event that names none: the text is searched
     * before anything is parsed.
     */
    public String agent() {
        String d = detailsJson;
        if (d == null || !d.contains("\"agent\"")) {
            return null;
        }
        try (JsonParser p = JSON.createParser(d)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String key = p.currentName();
                JsonToken value = p.nextToken();
                if (key.equals("agent")) {
                    return value == JsonToken.VALUE_STRING && !p.getString().isBlank() ? p.getString().strip() : null;
                }
                p.skipChildren();
            }
        } catch (JacksonException e) {
            return null;
        }
        return null;
    }

    public Event stored(long id, long sequence) {
        return stored(sessionId, id, sequence);
    }

    /** Stores under {@code sharedSessionId}, an equal string that the store keeps once per session. */
    public Event stored(String sharedSessionId, long id, long sequence) {
        return new Event(id, sharedSessionId, sequence, type, status, timestamp, durationMs, parentId,
                correlationId, name, description, detailsJson, displayInfo);
    }
}
