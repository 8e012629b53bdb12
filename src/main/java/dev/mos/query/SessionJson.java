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
        out.put("title", OperationTitles.sessionTitle(view));
        out.put("status", view.status().wireName());
        out.put("project", view.project());
        out.put("sender", view.info().sender());
        out.put("agent", view.info().agent());
        out.put("created", Durations.iso(view.info().createdMs()));
        out.put("last_activity", Durations.iso(view.info().lastActivityMs()));
        out.put("event_count", view.info().retainedEvents());
        out.put("dropped_events", view.info().droppedEvents());
        out.put("last_sequence", view.info().lastSequence());
        out.put("metrics", metrics(view.metrics()));
        out.put("usage", usage(view.usage()));
        out.put("lifecycle", lifecycle(view));
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

    /** {@code {started_at, ended_at, end_reason, source, model, permission_mode, git_branch, metric_points,
     * mcp_servers}}. */
    public static Map<String, Object> lifecycle(SessionView view) {
        return view.lifecycle().json();
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

    /**
     * {@code {input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, cost_usd, source, llm_calls,
     * by_model: {model: {...}}, by_subagent: {agent id: {name, ...}}}}, or null when the session reported none.
     */
    public static Map<String, Object> usage(SessionUsage usage) {
        if (usage == null) {
            return null;
        }
        Map<String, Object> out = tokens(usage.total());
        out.put("source", usage.source());
        out.put("cost_estimated", usage.costEstimated());
        out.put("llm_calls", usage.llmCalls());
        Map<String, Object> byModel = new LinkedHashMap<>();
        usage.byModel().forEach((model, u) -> byModel.put(model, tokens(u)));
        out.put("by_model", byModel);
        Map<String, Object> byAgent = new LinkedHashMap<>();
        usage.bySubagent().forEach((agent, a) -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", a.name());
            item.putAll(tokens(a.usage()));
            byAgent.put(agent, item);
        });
        out.put("by_subagent", byAgent);
        return out;
    }

    static Map<String, Object> tokens(TokenUsage u) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("input_tokens", u.inputTokens());
        out.put("output_tokens", u.outputTokens());
        out.put("cache_read_tokens", u.cacheReadTokens());
        out.put("cache_creation_tokens", u.cacheCreationTokens());
        // micro-dollars: sums of many small doubles otherwise print as 0.30000000000000004
        out.put("cost_usd", Math.round(u.costUsd() * 1_000_000d) / 1_000_000d);
        return out;
    }

    /** One line for text output: "12,345 tokens (in 1,000 · out 2,000 · cache read … · cache write …) · $0.1234". */
    public static String usageLine(SessionUsage usage) {
        if (usage == null) {
            return "tokens and cost: not reported";
        }
        TokenUsage t = usage.total();
        StringBuilder out = new StringBuilder(String.format(java.util.Locale.ROOT,
                "%,d tokens (in %,d · out %,d · cache read %,d · cache write %,d) · $%.4f", t.totalTokens(),
                t.inputTokens(), t.outputTokens(), t.cacheReadTokens(), t.cacheCreationTokens(), t.costUsd()));
        if (!usage.byModel().isEmpty()) {
            out.append(" · ");
            StringBuilder models = new StringBuilder();
            usage.byModel().forEach((model, u) -> models.append(models.isEmpty() ? "" : ", ").append(model)
                    .append(String.format(java.util.Locale.ROOT, " $%.4f", u.costUsd())));
            out.append(models);
        }
        return out.toString();
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
