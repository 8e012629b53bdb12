package dev.mos.query;

import dev.mos.model.DisplayInfo;
import dev.mos.model.Event;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Events and their details as JSON-ready maps. */
public final class EventJson {

    private final JsonMapper json;

    public EventJson(JsonMapper json) {
        this.json = json;
    }

    /** The mapper the details are read with (for the other JSON views of this package). */
    JsonMapper mapper() {
        return json;
    }

    public Map<String, Object> event(Event e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", e.externalId());
        out.put("session_id", e.sessionId());
        out.put("sequence", e.sequence());
        out.put("event_type", e.type().wireName());
        out.put("status", e.status().wireName());
        out.put("timestamp", Durations.iso(e.timestamp()));
        putIfPresent(out, "duration_ms", e.durationMs());
        putIfPresent(out, "parent_id", e.parentId());
        putIfPresent(out, "correlation_id", e.correlationId());
        Map<String, Object> details = details(e);
        if (!details.isEmpty()) {
            out.put("details", details);
        }
        if (e.displayInfo() != null) {
            out.put("display_info", display(e.displayInfo()));
        }
        return out;
    }

    /** name, description and the free keys, as the client sent them (after truncation). */
    public Map<String, Object> details(Event e) {
        Map<String, Object> details = new LinkedHashMap<>();
        putIfPresent(details, "name", e.name());
        putIfPresent(details, "description", e.description());
        details.putAll(extra(e));
        return details;
    }

    /** The free keys of the details only. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> extra(Event e) {
        if (e == null || e.detailsJson() == null) {
            return Map.of();
        }
        try {
            return json.readValue(e.detailsJson(), LinkedHashMap.class);
        } catch (JacksonException ex) {
            return Map.of("unreadable_details", e.detailsJson());
        }
    }

    /** The error an end event reports: details.error, else its description. */
    public String errorMessage(Event end) {
        if (end == null) {
            return null;
        }
        if (end.detailsJson() != null && end.detailsJson().contains("\"error\"")) {
            Object error = extra(end).get("error");
            if (error instanceof String text) {
                return text;
            }
            if (error instanceof Map<?, ?> map && map.get("message") instanceof String message) {
                return message;
            }
            if (error != null) {
                return String.valueOf(error);
            }
        }
        return end.description();
    }

    static Map<String, Object> display(DisplayInfo d) {
        Map<String, Object> out = new LinkedHashMap<>();
        putIfPresent(out, "name", d.name());
        putIfPresent(out, "description", d.description());
        putIfPresent(out, "icon", d.icon());
        putIfPresent(out, "color", d.color());
        return out;
    }

    static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
