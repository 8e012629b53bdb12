package dev.mos.query;

import dev.mos.model.DisplaySettings;
import dev.mos.model.OperationNode;
import dev.mos.model.SessionMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Session summaries as JSON-ready maps, the same for every front end. */
public final class SessionJson {

    private SessionJson() {
    }

    public static Map<String, Object> summary(SessionView view, long nowMs) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("session_id", view.info().sessionId());
        out.put("status", view.status().wireName());
        out.put("created", Durations.iso(view.info().createdMs()));
        out.put("last_activity", Durations.iso(view.info().lastActivityMs()));
        out.put("event_count", view.info().retainedEvents());
        out.put("dropped_events", view.info().droppedEvents());
        out.put("last_sequence", view.info().lastSequence());
        out.put("metrics", metrics(view.metrics()));
        List<Map<String, Object>> active = new ArrayList<>();
        view.tree().forEach(node -> {
            if (node.running() && active.size() < 50) {
                active.add(activeOperation(node, nowMs));
            }
        });
        out.put("active_operations", active);
        out.put("display_settings", settings(view.info().displaySettings()));
        return out;
    }

    static Map<String, Object> metrics(SessionMetrics m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tool_calls", m.toolCalls());
        out.put("tools_used", m.distinctTools());
        out.put("mcp_calls", m.mcpCalls());
        out.put("subagents", m.subagents());
        out.put("tasks", m.tasks());
        out.put("errors", m.errors());
        out.put("running", m.running());
        out.put("total_duration_ms", m.totalDurationMs());
        return out;
    }

    private static Map<String, Object> activeOperation(OperationNode node, long nowMs) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", node.id());
        out.put("kind", node.kind().wireName());
        out.put("name", node.name());
        out.put("started", Durations.iso(node.startMs()));
        out.put("elapsed_ms", node.elapsedMs(nowMs));
        return out;
    }

    public static Map<String, Object> settings(DisplaySettings s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("show_timings", s.showTimings());
        out.put("collapse_fast_ops", s.collapseFastOps());
        out.put("threshold_slow_ms", s.thresholdSlowMs());
        out.put("max_tree_depth", s.maxTreeDepth());
        out.put("highlight_errors", s.highlightErrors());
        return out;
    }
}
