package dev.mos.ingest.otlp;

import dev.mos.ingest.EventLimits;
import dev.mos.ingest.EventRejectedException;
import dev.mos.model.CodingAgent;
import dev.mos.model.EventStatus;
import dev.mos.model.EventType;
import dev.mos.model.NewEvent;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds the {@link NewEvent}s the OTLP mappers emit, keeping the same bounds as {@code EventDecoder} (ids, name
 * length, details size) without the round trip through a generic map that is parsed and validated again: at OTLP
 * batch sizes that round trip was most of the ingest cost.
 */
public final class OtlpEvents {

    private final JsonMapper json;
    /** The coding agent whose telemetry these events are, put into every event's details; null: the mapper's. */
    private final String agent;
    private final String agentField;

    public OtlpEvents(JsonMapper json, String agent) {
        this.json = json;
        this.agent = agent;
        this.agentField = agent == null ? null : "\"" + CodingAgent.DETAILS_KEY + "\":" + json.writeValueAsString(agent);
    }

    /** {@code details} holds values the mappers already bounded (strings cut, at most 60 keys). */
    NewEvent event(String sessionId, EventType type, EventStatus status, long timestamp, Long durationMs,
            String parentId, String correlationId, String name, Map<String, Object> details) {
        String session = id("session.id", sessionId, true);
        String correlation = id("correlation id", correlationId, false);
        String parent = id("parent id", parentId, false);
        if (parent != null && parent.equals(correlation)) {
            parent = null;
        }
        Long duration = durationMs == null || durationMs < 0 ? null
                : Math.min(durationMs, EventLimits.MAX_DURATION_MS);
        String detailsJson = details == null || details.isEmpty() ? null : json.writeValueAsString(details);
        if (agent != null && (details == null || !details.containsKey(CodingAgent.DETAILS_KEY))) {
            // spliced in rather than copying the map: {"agent":"claude-code", …}
            detailsJson = detailsJson == null ? "{" + agentField + "}" : "{" + agentField + "," + detailsJson.substring(1);
        }
        if (detailsJson != null && detailsJson.length() > EventLimits.MAX_DETAILS_JSON_CHARS) {
            throw new EventRejectedException("attributes", "serialise to " + detailsJson.length()
                    + " characters of JSON; at most " + EventLimits.MAX_DETAILS_JSON_CHARS + " are kept per event");
        }
        return new NewEvent(session, type, status == null ? defaultStatus(type) : status, Math.max(0, timestamp),
                duration, parent, correlation, name == null ? null : cut(name, EventLimits.MAX_NAME_LENGTH), null,
                detailsJson, null);
    }

    private static EventStatus defaultStatus(EventType type) {
        return switch (type.role()) {
            case START -> EventStatus.STARTED;
            case PROGRESS -> EventStatus.RUNNING;
            case END -> EventStatus.SUCCESS;
            case FAIL -> EventStatus.ERROR;
        };
    }

    private static String id(String what, String value, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                throw new EventRejectedException(what, "attribute is required on Claude Code telemetry");
            }
            return null;
        }
        if (value.length() > EventLimits.MAX_ID_LENGTH) {
            throw new EventRejectedException(what, "must be at most " + EventLimits.MAX_ID_LENGTH
                    + " characters, got " + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new EventRejectedException(what, "must not contain control characters");
            }
        }
        return value;
    }

    static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end) + "…[truncated " + (s.length() - end) + " chars]";
    }
}
