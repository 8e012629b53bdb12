package dev.mos.ingest.otlp;

import dev.mos.ingest.EventRejectedException;
import dev.mos.ingest.hooks.AgentLinks;
import dev.mos.ingest.privacy.Redactor;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Claude Code's OpenTelemetry log events into events of the MOS model, joined with what hooks report on the same
 * keys so that either path alone, or both, give one tree: {@code prompt.id} is the task ({@code prompt:<id>}, as for
 * hooks), {@code tool_use_id} the tool operation (a tool_result start/end pair; when the hook already opened and
 * closed it, the tree keeps the hook's and records this one on it), and each {@code api_request} becomes an LLM
 * operation with model, tokens, cost and duration.
 */
public final class ClaudeCodeOtelMapper {

    /** Bookkeeping events of Claude Code itself, not of the session's work. */
    private static final Set<String> IGNORED = Set.of("hook_registered", "hook_execution_start",
            "hook_execution_complete", "plugin_loaded", "managed_settings_resolved");
    /** Attributes every record repeats; not worth storing per event. */
    private static final Set<String> NOISE = Set.of("user.id", "session.id", "prompt.id", "event.name",
            "event.timestamp", "event.sequence", "terminal.type", "host.arch", "os.type", "os.version",
            "service.name", "service.version", "anthropic.provider", "anthropic.custom_base_url", "user.email",
            "organization.id", "user.account_uuid");
    private static final int MAX_VALUE_CHARS = 2_000;
    private static final int MAX_DETAIL_KEYS = 60;
    /** Prompt and response text (sent only when the operator enabled it) is kept as a short excerpt. */
    private static final Set<String> TEXT_KEYS = Set.of("prompt", "prompt_text", "response", "content", "text");
    private static final int TEXT_EXCERPT_CHARS = 200;

    private final Redactor redactor;
    private final AgentLinks links;

    public ClaudeCodeOtelMapper(Redactor redactor, AgentLinks links) {
        this.redactor = redactor;
        this.links = links;
    }

    /** Events for one log record; empty for bookkeeping events. Refuses a record without session.id. */
    public List<Map<String, Object>> map(OtlpLogRecord record) {
        Map<String, Object> a = record.attributes();
        String name = text(a.get("event.name"));
        if (name == null && record.body() != null && record.body().startsWith("claude_code.")) {
            name = record.body().substring("claude_code.".length());
        }
        if (name == null || IGNORED.contains(name)) {
            return List.of();
        }
        String sessionId = text(a.get("session.id"));
        if (sessionId == null || sessionId.isBlank()) {
            throw new EventRejectedException("session.id", "attribute is required on Claude Code log events");
        }
        long at = timestamp(a.get("event.timestamp"), record.timeMs());
        String promptId = text(a.get("prompt.id"));
        String task = promptId == null ? null : "prompt:" + promptId;
        String agentId = text(a.get("agent_id"));
        String agentOp = agentId == null ? null : links.knownOperationOf(sessionId, agentId);
        String parent = agentOp != null ? agentOp : task;
        Map<String, Object> details = details(a);
        Long duration = number(a.get("duration_ms"));

        List<Map<String, Object>> out = new ArrayList<>(2);
        switch (name) {
            case "user_prompt" -> {
                String prompt = text(a.get("prompt"));
                String title = prompt == null || prompt.startsWith("<REDACTED") ? "Prompt" : firstLine(prompt);
                out.add(event(sessionId, "task_started", task, null, title, at, null, details));
            }
            case "api_request", "api_error" -> {
                String correlation = "llm:" + (a.get("request_id") != null ? text(a.get("request_id"))
                        : sessionId + ":" + a.get("event.sequence"));
                String model = text(a.get("model"));
                long started = duration == null ? at : at - duration;
                out.add(event(sessionId, "llm_request", correlation, parent, model == null ? "LLM call" : model,
                        started, null, details));
                out.add(event(sessionId, name.equals("api_request") ? "llm_response" : "llm_error", correlation,
                        parent, model, at, duration, details));
            }
            case "tool_result" -> {
                String tool = text(a.get("tool_name"));
                String toolUseId = text(a.get("tool_use_id"));
                String[] types = toolTypes(tool);
                boolean ok = !"false".equalsIgnoreCase(String.valueOf(a.get("success")));
                if (!ok && !details.containsKey("error")) {
                    details.put("error", "tool failed");
                }
                long started = duration == null ? at : at - duration;
                out.add(event(sessionId, types[0], toolUseId, parent, tool, started, null, details));
                out.add(event(sessionId, ok ? types[1] : types[2], toolUseId, parent, tool, at, duration, details));
            }
            default -> {
                // tool_decision, assistant_response, compaction, ...: a point in the timeline, on the prompt's task
                String correlation = task != null ? task : "otel:" + name + ":" + a.get("event.sequence") + ":" + at;
                Map<String, Object> e = event(sessionId, "task_progress", correlation, null, name, at, null, details);
                e.put("status", "success");
                out.add(e);
            }
        }
        return out;
    }

    private static String[] toolTypes(String tool) {
        if (tool != null && (tool.equals("Agent") || tool.equals("Task"))) {
            return new String[] {"subagent_spawn", "subagent_complete", "subagent_failed"};
        }
        if (tool != null && tool.startsWith("mcp__") && tool.indexOf("__", 5) > 5) {
            return new String[] {"mcp_request", "mcp_response", "mcp_error"};
        }
        return new String[] {"tool_pre_call", "tool_post_call", "tool_error"};
    }

    private static Map<String, Object> event(String sessionId, String type, String correlation, String parent,
            String name, long at, Long duration, Map<String, Object> details) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("session_id", sessionId);
        e.put("event_type", type);
        e.put("timestamp", at);
        if (correlation != null) {
            e.put("correlation_id", correlation);
        }
        if (parent != null && !parent.equals(correlation)) {
            e.put("parent_id", parent);
        }
        if (duration != null && duration >= 0) {
            e.put("duration_ms", duration);
        }
        Map<String, Object> d = new LinkedHashMap<>();
        if (name != null) {
            d.put("name", name);
        }
        d.put("source", "otel");
        d.putAll(details);
        e.put("details", d);
        return e;
    }

    private Map<String, Object> details(Map<String, Object> attributes) {
        Map<String, Object> d = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : attributes.entrySet()) {
            String key = entry.getKey();
            if (NOISE.contains(key) || key.equals("name") || key.equals("description") || key.length() > 128) {
                continue;
            }
            if (d.size() >= MAX_DETAIL_KEYS) {
                break;
            }
            Object v = entry.getValue();
            switch (v) {
                case Number n -> d.put(key, n);
                case Boolean b -> d.put(key, b);
                default -> {
                    String s = redactor.redact(String.valueOf(v));
                    // numbers often arrive as strings in OTLP JSON: store them as numbers for analytics
                    Long asNumber = isInteger(s) ? Long.parseLong(s) : null;
                    int max = TEXT_KEYS.contains(key) ? TEXT_EXCERPT_CHARS : MAX_VALUE_CHARS;
                    d.put(key, asNumber != null ? asNumber : s.length() <= max ? s
                            : s.substring(0, max) + "…[truncated " + (s.length() - max) + " chars]");
                }
            }
        }
        return d;
    }

    private static boolean isInteger(String s) {
        int start = s.startsWith("-") ? 1 : 0;
        if (s.length() == start || s.length() - start > 15) {
            return false;
        }
        for (int i = start; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static long timestamp(Object iso, long fallback) {
        if (iso instanceof String s) {
            try {
                return Instant.parse(s).toEpochMilli();
            } catch (DateTimeParseException e) {
                // fall back to the record's time
            }
        }
        return fallback > 0 ? fallback : System.currentTimeMillis();
    }

    private static Long number(Object v) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof String s) {
            try {
                return Math.round(Double.parseDouble(s.trim()));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private String firstLine(String prompt) {
        String line = redactor.redact(prompt).strip();
        int nl = line.indexOf('\n');
        line = nl >= 0 ? line.substring(0, nl) : line;
        return line.length() <= 80 ? line : line.substring(0, 80) + "…";
    }

    private static String text(Object v) {
        return v instanceof String s ? s : v instanceof Number n ? n.toString() : null;
    }
}
