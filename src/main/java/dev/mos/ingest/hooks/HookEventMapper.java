package dev.mos.ingest.hooks;

import dev.mos.ingest.EventLimits;
import dev.mos.ingest.EventRejectedException;
import dev.mos.ingest.privacy.CapturePolicy;
import dev.mos.model.CodingAgent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns one Claude Code hook payload into events of the MOS model (in the {@code log_event} shape, so they take the
 * one ingest pipeline): a task per prompt ({@code prompt:<prompt_id>}), an operation per {@code tool_use_id}, MCP
 * tools split into server and tool, subagents nested by {@code agent_id}. Any other hook event, known or not, is
 * recorded in the session timeline. Never refuses a payload that names its session with usable ids (see
 * {@link #id}): unknown fields are kept (flat, redacted, cut to size) so a new Claude Code version cannot make
 * ingestion fail.
 */
public final class HookEventMapper {

    /** Fields that are mapped onto the event itself rather than copied into its details. */
    private static final Set<String> MAPPED = Set.of("session_id", "hook_event_name", "prompt", "tool_input",
            "tool_response", "tool_calls", "last_assistant_message", "duration_ms", "timestamp");
    private static final Set<String> AGENT_TOOLS = Set.of("Agent", "Task");
    private static final int MAX_DETAIL_KEYS = 90;
    private static final int MAX_KEY_CHARS = 128;
    private static final int TASK_NAME_CHARS = 80;
    /** The event id limit less the longest wrapping this mapper adds ({@code hook:} + name + {@code :} + UUID). */
    private static final int MAX_ID_CHARS = EventLimits.MAX_ID_LENGTH - 42;

    private final JsonMapper json;
    private final CapturePolicy capture;
    private final AgentLinks links;

    public HookEventMapper(JsonMapper json, CapturePolicy capture, AgentLinks links) {
        this.json = json;
        this.links = links;
        this.capture = capture;
    }

    /** True when an object looks like a hook payload rather than a MOS event. */
    public static boolean isHookPayload(Object raw) {
        return raw instanceof Map<?, ?> m && m.containsKey("hook_event_name") && !m.containsKey("event_type");
    }

    public List<Map<String, Object>> map(Map<?, ?> payload) {
        String sessionId = id(payload, "session_id");
        if (sessionId == null || sessionId.isBlank()) {
            throw new EventRejectedException("session_id", "is required in a hook payload (Claude Code always "
                    + "sends it)");
        }
        String hook = id(payload, "hook_event_name");
        if (hook == null || hook.isBlank()) {
            hook = "unknown";
        }
        String promptId = id(payload, "prompt_id");
        String agentId = id(payload, "agent_id");
        String toolUseId = id(payload, "tool_use_id");
        String toolName = text(payload.get("tool_name"));
        String task = promptId == null ? null : "prompt:" + promptId;
        String workParent = agentId != null ? links.operationOf(sessionId, agentId) : task;

        Map<String, Object> details = details(payload);
        Object timestamp = timestampOf(payload.get("timestamp"), details);
        List<Map<String, Object>> out = new ArrayList<>(2);
        switch (hook) {
            case "UserPromptSubmit" -> {
                String prompt = capture.prompt(text(payload.get("prompt")));
                if (prompt != null) {
                    details.put("prompt", prompt);
                }
                String name = prompt == null || prompt.isBlank() ? "Prompt" : firstLine(prompt, TASK_NAME_CHARS);
                out.add(event(sessionId, "task_started", task, null, name, null, details));
                if (promptId != null) {
                    links.promptSubmitted(sessionId, promptId);
                }
            }
            case "Stop" -> {
                keepText(payload, "last_assistant_message", details);
                out.add(event(sessionId, task == null ? "task_progress" : "task_complete", task, null, null, null,
                        details));
            }
            case "StopFailure" -> out.add(event(sessionId, task == null ? "task_progress" : "task_failed", task,
                    null, null, null, details));
            case "PreToolUse" -> {
                ToolKind kind = ToolKind.of(toolName);
                kind.describe(toolName, details);
                Object input = payload.get("tool_input");
                String inputJson = input == null || input instanceof String ? (String) input
                        : json.writeValueAsString(input);
                if (kind == ToolKind.AGENT && toolUseId != null) {
                    links.agentCallStarted(sessionId, toolUseId, subagentType(input));
                } else if (toolUseId != null) {
                    links.toolCallStarted(sessionId, toolUseId, toolName, inputKey(inputJson));
                }
                String kept = inputJson == null ? null : capture.toolIo(inputJson);
                if (kept != null) {
                    details.put("tool_input", kept);
                }
                out.add(event(sessionId, kind.startType, toolUseId, workParent, toolName,
                        inputDescription(payload.get("tool_input")), details));
            }
            case "PostToolUse", "PostToolUseFailure" -> {
                boolean failed = hook.equals("PostToolUseFailure");
                ToolKind kind = ToolKind.of(toolName);
                kind.describe(toolName, details);
                String settled = null;
                if (kind == ToolKind.AGENT && toolUseId != null) {
                    settled = links.agentCallFinished(sessionId, toolUseId, agentIdOf(payload.get("tool_response")));
                } else if (toolUseId != null) {
                    links.toolCallFinished(sessionId, toolUseId);
                }
                putToolIo(details, "tool_response", payload.get("tool_response"));
                Map<String, Object> e = event(sessionId, failed ? kind.failType : kind.endType, toolUseId, workParent,
                        toolName, null, details);
                duration(payload.get("duration_ms"), e);
                out.add(e);
                if (settled != null) {
                    // a subagent started while several Agent calls were in flight: now that this call names it,
                    // its own operation is placed under the call (first progress event carries the parent)
                    Map<String, Object> link = event(sessionId, "task_progress", AgentLinks.ownOperation(settled),
                            toolUseId, null, null, Map.of("linked_tool_use_id", toolUseId));
                    out.add(link);
                }
            }
            case "PermissionRequest" -> {
                // no tool_use_id in this hook: the open call of the same tool (and input) in this session
                Object input = payload.get("tool_input");
                String call = toolName == null ? null : links.openToolCall(sessionId, toolName,
                        inputKey(input == null || input instanceof String ? (String) input
                                : json.writeValueAsString(input)));
                putToolIo(details, "tool_input", payload.get("tool_input"));
                if (call != null) {
                    out.add(event(sessionId, "task_progress", call, null, hook, null, details));
                } else {
                    out.add(timeline(sessionId, task, hook, details));
                }
            }
            case "PermissionDenied" -> {
                if (toolUseId != null) {
                    ToolKind kind = ToolKind.of(toolName);
                    details.putIfAbsent("error", "permission denied");
                    out.add(event(sessionId, kind.failType, toolUseId, workParent, toolName, null, details));
                } else {
                    out.add(timeline(sessionId, task, hook, details));
                }
            }
            case "SubagentStart" -> {
                String call = agentId == null ? null
                        : links.subagentStarted(sessionId, agentId, text(payload.get("agent_type")));
                if (call != null) {
                    out.add(event(sessionId, "task_progress", call, null, hook, null, details));
                } else {
                    String own = agentId == null ? null : AgentLinks.ownOperation(agentId);
                    // unsettled: no parent yet, the Agent call that names this subagent will give it one
                    String parent = agentId != null && links.isUnsettled(sessionId, agentId) ? null : task;
                    out.add(event(sessionId, "subagent_spawn", own, parent, text(payload.get("agent_type")), null,
                            details));
                }
            }
            case "SubagentStop" -> {
                keepText(payload, "last_assistant_message", details);
                String op = agentId == null ? null : links.operationOf(sessionId, agentId);
                boolean own = op != null && op.equals(AgentLinks.ownOperation(agentId));
                // an own operation's parent is settled later (by the Agent call's PostToolUse), so nothing here
                // may name one: the tree takes the first parent it is told
                out.add(event(sessionId, own ? "subagent_complete" : "task_progress", op, null, hook, null, details));
            }
            case "PostToolBatch" -> {
                if (payload.get("tool_calls") instanceof List<?> calls) {
                    details.put("tool_calls", calls.size());
                }
                out.add(timeline(sessionId, task, hook, details));
            }
            case "SessionEnd" -> {
                links.sessionEnded(sessionId);
                out.add(timeline(sessionId, null, hook, details)); // about the session, not its last prompt
            }
            default -> out.add(timeline(sessionId, task, hook, details));
        }
        if (timestamp != null) {
            out.forEach(e -> e.put("timestamp", timestamp));
        }
        return out;
    }

    /**
     * Claude Code 2.1.332's hook payloads carry no time (see the reference capture), so events get the time they
     * arrive; a payload that does carry a {@code timestamp} (a later version, a replay) keeps its own, when it is
     * an ISO-8601 instant or epoch milliseconds. Anything else stays in the details.
     */
    private static Object timestampOf(Object value, Map<String, Object> details) {
        if (value instanceof Number n && n.doubleValue() > 0 && n.doubleValue() < 1e14) {
            return n.longValue();
        }
        if (value instanceof String s) {
            try {
                java.time.Instant at = java.time.OffsetDateTime.parse(s).toInstant();
                at.toEpochMilli(); // beyond epoch milliseconds the decoder would refuse the event
                return at.toString();
            } catch (java.time.format.DateTimeParseException | ArithmeticException e) {
                details.put("timestamp", s.length() > 64 ? s.substring(0, 64) : s);
            }
        }
        return null;
    }

    private static String subagentType(Object toolInput) {
        return toolInput instanceof Map<?, ?> m ? text(m.get("subagent_type")) : null;
    }

    /** What identifies a call's input across hooks: PreToolUse and PermissionRequest carry the same tool_input. */
    private static String inputKey(String toolInputJson) {
        return toolInputJson == null ? "" : Integer.toHexString(toolInputJson.hashCode());
    }

    /**
     * A point in the session timeline, complete in itself. Within a prompt it is recorded on the prompt's task (as
     * progress, so a PostToolBatch per tool batch does not clutter the tree); outside one (SessionStart) it is a
     * point of its own.
     */
    private static Map<String, Object> timeline(String sessionId, String task, String hook,
            Map<String, Object> details) {
        String correlation = task != null ? task : "hook:" + hook + ":" + UUID.randomUUID();
        Map<String, Object> e = event(sessionId, "task_progress", correlation, null, hook, null, details);
        e.put("status", "success");
        return e;
    }

    private static Map<String, Object> event(String sessionId, String type, String correlationId, String parentId,
            String name, String description, Map<String, Object> details) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("session_id", sessionId);
        e.put("event_type", type);
        if (correlationId != null) {
            e.put("correlation_id", correlationId);
        }
        if (parentId != null && !parentId.equals(correlationId)) {
            e.put("parent_id", parentId);
        }
        Map<String, Object> d = new LinkedHashMap<>();
        if (name != null) {
            d.put("name", name);
        }
        if (description != null) {
            d.put("description", description);
        }
        d.putAll(details);
        d.put(CodingAgent.DETAILS_KEY, CodingAgent.CLAUDE_CODE); // hooks are Claude Code's
        e.put("details", d);
        return e;
    }

    /** Every field not mapped elsewhere, flat: objects and arrays become (cut) JSON text, strings are redacted. */
    private Map<String, Object> details(Map<?, ?> payload) {
        Map<String, Object> d = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : payload.entrySet()) {
            String key = String.valueOf(entry.getKey());
            if (MAPPED.contains(key) || key.length() > MAX_KEY_CHARS || key.equals("name")
                    || key.equals("description")) {
                continue;
            }
            if (d.size() >= MAX_DETAIL_KEYS) {
                d.put("fields_omitted", true);
                break;
            }
            switch (entry.getValue()) {
                case null -> { }
                case String s -> d.put(key, capture.value(s));
                case Number n -> d.put(key, n);
                case Boolean b -> d.put(key, b);
                case Object other -> d.put(key, capture.value(json.writeValueAsString(other)));
            }
        }
        return d;
    }

    /** A tool's input or output, as JSON text, at the operator's tool I/O capture level (maybe not at all). */
    private void putToolIo(Map<String, Object> d, String key, Object value) {
        String text = switch (value) {
            case null -> null;
            case String s -> capture.toolIo(s);
            default -> capture.keepsToolIo() ? capture.toolIo(json.writeValueAsString(value)) : null;
        };
        if (text != null) {
            d.put(key, text);
        }
    }

    private void keepText(Map<?, ?> payload, String key, Map<String, Object> details) {
        String text = capture.prompt(text(payload.get(key)));
        if (text != null) {
            details.put(key, text);
        }
    }

    private String inputDescription(Object toolInput) {
        if (toolInput instanceof Map<?, ?> m && m.get("description") instanceof String s) {
            return capture.cut(s, 200);
        }
        return null;
    }

    private static String agentIdOf(Object toolResponse) {
        // inside the tool's output, not the payload's own fields: an unusable id is no link rather than a refusal
        String agentId = toolResponse instanceof Map<?, ?> m ? text(m.get("agentId")) : null;
        return idProblem(agentId) == null ? agentId : null;
    }

    private static void duration(Object value, Map<String, Object> event) {
        // beyond the decoder's bounds the event would be refused: it is stored without a duration instead
        if (value instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= EventLimits.MAX_DURATION_MS) {
            event.put("duration_ms", n);
        } else if (value instanceof String s && s.matches("\\d{1,12}")
                && Long.parseLong(s) <= EventLimits.MAX_DURATION_MS) {
            event.put("duration_ms", Long.parseLong(s));
        }
    }

    private static String firstLine(String text, int max) {
        String line = text.strip();
        int nl = line.indexOf('\n');
        if (nl >= 0) {
            line = line.substring(0, nl);
        }
        return line.length() <= max ? line : line.substring(0, max) + "…";
    }

    /**
     * A field the events' identities are made of (session, correlation and parent ids, the timeline's
     * {@code hook:<name>:<uuid>}), held to the event id rules up front: Claude Code sends UUIDs, {@code toolu_} ids
     * and short hook names, so a value the decoder would refuse means the payload is not one of its, and saying so
     * (400 naming the field) beats answering 200 for events that are then dropped.
     */
    private static String id(Map<?, ?> payload, String field) {
        String value = text(payload.get(field));
        String problem = idProblem(value);
        if (problem != null) {
            throw new EventRejectedException(field, problem + " in a hook payload (Claude Code sends short ids)");
        }
        return value;
    }

    /** Why {@code value} cannot be part of an event id, or null when it can (or is absent). */
    private static String idProblem(String value) {
        if (value == null) {
            return null;
        }
        if (value.length() > MAX_ID_CHARS) {
            return "must be at most " + MAX_ID_CHARS + " characters, got " + value.length();
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return "must not contain control characters";
            }
        }
        return null;
    }

    private static String text(Object value) {
        return value instanceof String s ? s : value instanceof Number n ? n.toString() : null;
    }

    /** Regular tools, MCP tools ({@code mcp__<server>__<tool>}) and the Agent tool map to different kinds. */
    private enum ToolKind {
        TOOL("tool_pre_call", "tool_post_call", "tool_error"),
        MCP("mcp_request", "mcp_response", "mcp_error"),
        AGENT("subagent_spawn", "subagent_complete", "subagent_failed");

        final String startType;
        final String endType;
        final String failType;

        ToolKind(String startType, String endType, String failType) {
            this.startType = startType;
            this.endType = endType;
            this.failType = failType;
        }

        static ToolKind of(String toolName) {
            if (toolName == null) {
                return TOOL;
            }
            if (AGENT_TOOLS.contains(toolName)) {
                return AGENT;
            }
            return toolName.startsWith("mcp__") && toolName.indexOf("__", 5) > 5 ? MCP : TOOL;
        }

        void describe(String toolName, Map<String, Object> details) {
            if (this == MCP) {
                int split = toolName.indexOf("__", 5);
                details.put("mcp_server", toolName.substring(5, split));
                details.put("mcp_tool", toolName.substring(split + 2));
            }
        }
    }
}
