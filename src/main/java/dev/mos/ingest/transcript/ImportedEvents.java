package dev.mos.ingest.transcript;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The raw events the session-file mappers (Claude Code transcripts, Codex rollouts, Gemini chats) build for the one
 * ingest pipeline, in one shape: a file is read in its own order, and the events are put in time order at the end.
 */
public final class ImportedEvents {

    /** Each event's time while the mapping runs, for {@link #inTimeOrder}; never posted. */
    private static final String ORDER = "_order_ms";
    private static final int MAX_NAME = 200;

    private ImportedEvents() {
    }

    /**
     * {@code n} as a count or duration; null when it is no number, or one beyond a {@code long} (the fuzzer wrote
     * such counts): left out rather than failing the file.
     */
    public static Long count(JsonNode n) {
        return n.isNumber() && n.canConvertToLong() ? n.asLong() : null;
    }

    /** {@code from.key} as {@code to.as}, when it is a {@link #count}. */
    public static void copyCount(JsonNode from, String key, Map<String, Object> to, String as) {
        Long n = count(from.path(key));
        if (n != null) {
            to.put(as, n);
        }
    }

    /**
     * One event. Its details are the name (cut to 200 characters), then {@code fixed} (what every event of the
     * file carries: agent, source, ...), then {@code details}; null values are left out of both.
     */
    public static Map<String, Object> event(String session, String type, String correlation, String parent,
            String name, long at, Long duration, Map<String, Object> fixed, Map<String, Object> details) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("session_id", session);
        e.put("event_type", type);
        e.put("timestamp", Instant.ofEpochMilli(at).toString());
        e.put(ORDER, at);
        if (duration != null) {
            e.put("duration_ms", duration);
        }
        e.put("correlation_id", correlation);
        if (parent != null && !parent.equals(correlation)) {
            e.put("parent_id", parent);
        }
        Map<String, Object> d = new LinkedHashMap<>();
        if (name != null) {
            d.put("name", name.length() > MAX_NAME ? name.substring(0, MAX_NAME) : name);
        }
        fixed.forEach((k, v) -> {
            if (v != null) {
                d.put(k, v);
            }
        });
        details.forEach((k, v) -> {
            if (v != null) {
                d.put(k, v);
            }
        });
        e.put("details", d);
        return e;
    }

    /** Sorts the events by time (stable: a file's order among equal times) and drops the sort key. */
    public static void inTimeOrder(List<Map<String, Object>> events) {
        events.sort(Comparator.comparingLong(e -> (Long) e.get(ORDER)));
        events.forEach(e -> e.remove(ORDER));
    }
}
