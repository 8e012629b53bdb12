package dev.mos.ingest.transcript;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What makes an imported event a repeat: an operation has one start and one end, so an event whose operation
 * ({@code correlation_id}) already has a start (or an end) of its kind in the session adds nothing. This holds
 * whichever path stored the first one: a previous import, the hooks (same {@code prompt:<id>} and tool_use ids), or
 * OTLP (same {@code llm:<request_id>}). An end and a failure count as the same end, so a re-import cannot turn a
 * failed operation into a successful one.
 */
public final class EventIdentity {

    private static final Set<String> STARTS = Set.of("task_started", "tool_pre_call", "mcp_request",
            "subagent_spawn", "llm_request");

    private EventIdentity() {
    }

    /** The identity of an event given by its type and correlation id; null when it has none (never a repeat). */
    public static String of(String eventType, String correlationId) {
        if (eventType == null || correlationId == null || eventType.equals("task_progress")) {
            return null;
        }
        return (STARTS.contains(eventType) ? "start:" : "end:") + correlationId;
    }

    public static String of(Map<String, Object> event) {
        return of((String) event.get("event_type"), (String) event.get("correlation_id"));
    }

    /** The events whose identity is not in {@code stored} (nor earlier in {@code events}), in order. */
    public static List<Map<String, Object>> newOnes(Collection<Map<String, Object>> events, Set<String> stored) {
        Set<String> seen = new HashSet<>(stored);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> e : events) {
            String id = of(e);
            if (id == null || seen.add(id)) {
                out.add(e);
            }
        }
        return out;
    }
}
