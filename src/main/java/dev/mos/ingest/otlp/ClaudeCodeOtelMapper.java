package dev.mos.ingest.otlp;

import dev.mos.ingest.EventRejectedException;
import dev.mos.ingest.hooks.AgentLinks;
import dev.mos.model.EventStatus;
import dev.mos.model.EventType;
import dev.mos.model.NewEvent;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Claude Code's OpenTelemetry log events into events of the MOS model, on the same join keys as hooks and trace
 * spans so that any combination of them gives one tree: {@code prompt.id} is the task ({@code prompt:<id>}, as for
 * hooks), {@code tool_use_id} the tool operation, {@code request_id} the LLM operation ({@code llm:<id>}).
 *
 * <ul>
 * <li>{@code user_prompt} opens the prompt's task. Logs have no "turn ended" event, so the task is closed by the
 * main loop's {@code assistant_response} (2.1.332 logs it once, after the final answer of the turn; never after a
 * request that asked for tools), or failing that by the session's next {@code user_prompt}, at the time of the
 * previous prompt's last logged activity. With hooks, Stop has closed it already and these closes only enrich it.
 * <li>{@code tool_decision} opens the tool operation (a rejected decision also fails it); {@code tool_result} closes
 * it with Claude Code's {@code duration_ms}. {@code api_request}/{@code api_error} are one LLM operation each (the
 * end, with duration: the start follows from it).
 * <li>Events carrying {@code agent_id} nest under the subagent's Agent tool call: the one the hooks linked, else the
 * one the traces showed, else the oldest Agent call decided on and not yet claimed by a subagent.
 * </ul>
 */
public final class ClaudeCodeOtelMapper {

    /** Bookkeeping events of Claude Code itself, not of the session's work. */
    private static final Set<String> IGNORED = Set.of("hook_registered", "hook_execution_start",
            "hook_execution_complete", "plugin_loaded", "managed_settings_resolved");

    private final OtlpAttributes attributes;
    private final OtlpEvents events;
    private final AgentLinks hookLinks;
    private final OtlpJoins joins;

    public ClaudeCodeOtelMapper(OtlpAttributes attributes, OtlpEvents events, AgentLinks hookLinks, OtlpJoins joins) {
        this.attributes = attributes;
        this.events = events;
        this.hookLinks = hookLinks;
        this.joins = joins;
    }

    /** Events for one log record; empty for bookkeeping events. Refuses a record without session.id. */
    public List<NewEvent> map(OtlpLogRecord record) {
        Map<String, Object> a = record.attributes();
        String name = OtlpAttributes.text(a.get("event.name"));
        if (name == null && record.body() != null && record.body().startsWith("claude_code.")) {
            name = record.body().substring("claude_code.".length());
        }
        if (name == null || IGNORED.contains(name)) {
            return List.of();
        }
        String sessionId = OtlpAttributes.text(a.get("session.id"));
        if (sessionId == null || sessionId.isBlank()) {
            throw new EventRejectedException("session.id", "attribute is required on Claude Code log events");
        }
        long at = record.timeMs() > 0 ? record.timeMs() : timestamp(a.get("event.timestamp"));
        String promptId = OtlpAttributes.text(a.get("prompt.id"));
        String task = promptId == null ? null : "prompt:" + promptId;
        List<NewEvent> out = new ArrayList<>(2);
        if (promptId != null && record.traceId() != null
                && joins.linkTrace(sessionId, record.traceId(), promptId)) {
            // the trace's spans came first and made a task of their own: it belongs under this prompt's
            out.add(events.event(sessionId, EventType.TASK_PROGRESS, EventStatus.SUCCESS, at, null, task,
                    "trace:" + record.traceId(), null, Map.of("source", "otel", "linked_prompt", promptId)));
        }
        String agentId = OtlpAttributes.text(a.get("agent_id"));
        String agentOp = agentId == null ? null : agentOperation(sessionId, agentId);
        String parent = agentOp != null ? agentOp : task;
        Long duration = OtlpAttributes.number(a.get("duration_ms"));
        if (promptId != null && !name.equals("user_prompt")) {
            activity(sessionId, promptId, at);
        }

        switch (name) {
            case "user_prompt" -> {
                closePrevious(sessionId, promptId, out);
                String prompt = OtlpAttributes.text(a.get("prompt"));
                String title = prompt == null || prompt.startsWith("<REDACTED") ? "Prompt"
                        : attributes.firstLine(prompt);
                out.add(events.event(sessionId, EventType.TASK_STARTED, null, at, null, null, task, title,
                        attributes.details(title, "otel", a)));
                open(sessionId, promptId, at);
            }
            case "api_request", "api_error" -> {
                Object requestId = a.get("request_id");
                String correlation = "llm:" + (requestId != null ? OtlpAttributes.text(requestId)
                        : sessionId + ":" + a.get("event.sequence") + ":" + at);
                String model = OtlpAttributes.text(a.get("model"));
                boolean ok = name.equals("api_request");
                out.add(events.event(sessionId, ok ? EventType.LLM_RESPONSE : EventType.LLM_ERROR, null, at,
                        duration, parent, correlation, model == null ? "LLM call" : model,
                        attributes.details(model, "otel", a)));
            }
            case "tool_decision" -> {
                String tool = OtlpAttributes.text(a.get("tool_name"));
                String toolUseId = OtlpAttributes.text(a.get("tool_use_id"));
                EventType[] types = toolTypes(tool);
                if (isAgent(tool) && toolUseId != null) {
                    joins.agentCallStarted(sessionId, toolUseId);
                }
                Map<String, Object> details = attributes.details(tool, "otel", a);
                out.add(events.event(sessionId, types[0], null, at, null, parent, toolUseId, tool, details));
                String decision = OtlpAttributes.text(a.get("decision"));
                if (decision != null && !decision.equalsIgnoreCase("accept") && !decision.equalsIgnoreCase("allow")) {
                    details.put("error", "tool use " + decision + " (" + a.getOrDefault("source", "unknown") + ")");
                    out.add(events.event(sessionId, types[2], null, at, 0L, parent, toolUseId, tool, details));
                }
            }
            case "tool_result" -> {
                String tool = OtlpAttributes.text(a.get("tool_name"));
                String toolUseId = OtlpAttributes.text(a.get("tool_use_id"));
                EventType[] types = toolTypes(tool);
                boolean ok = !"false".equalsIgnoreCase(String.valueOf(a.get("success")));
                Map<String, Object> details = attributes.details(tool, "otel", a);
                if (!ok && !details.containsKey("error")) {
                    details.put("error", "tool failed");
                }
                if (isAgent(tool) && toolUseId != null) {
                    joins.agentCallFinished(sessionId, toolUseId);
                }
                out.add(events.event(sessionId, ok ? types[1] : types[2], null, at, duration, parent, toolUseId,
                        tool, details));
            }
            case "assistant_response" -> {
                if (agentOp == null && task != null && close(sessionId, promptId)) {
                    Map<String, Object> details = attributes.details(name, "otel", a);
                    details.put("closed_by", "assistant_response");
                    out.add(events.event(sessionId, EventType.TASK_COMPLETE, null, at, null, null, task, null,
                            details));
                } else {
                    out.add(point(sessionId, agentOp != null ? agentOp : task, at, name, a));
                }
            }
            default -> {
                // subagent_completed, compaction, ...: a point on the operation the record belongs to
                String toolUseId = OtlpAttributes.text(a.get("tool_use_id"));
                out.add(point(sessionId, toolUseId != null ? toolUseId : agentOp != null ? agentOp : task, at, name,
                        a));
            }
        }
        return out;
    }

    private NewEvent point(String sessionId, String correlation, long at, String name, Map<String, Object> a) {
        String c = correlation != null ? correlation : "otel:" + name + ":" + a.get("event.sequence") + ":" + at;
        return events.event(sessionId, EventType.TASK_PROGRESS, EventStatus.SUCCESS, at, null, null, c, name,
                attributes.details(name, "otel", a));
    }

    private String agentOperation(String sessionId, String agentId) {
        String op = hookLinks.knownOperationOf(sessionId, agentId);
        return op != null ? op : joins.operationOfAgent(sessionId, agentId);
    }

    private void activity(String sessionId, String promptId, long at) {
        OtlpJoins.Session s = joins.of(sessionId);
        synchronized (s) {
            if (promptId.equals(s.openPrompt)) {
                s.openPromptLastActivityMs = Math.max(s.openPromptLastActivityMs, at);
            }
        }
    }

    private void open(String sessionId, String promptId, long at) {
        OtlpJoins.Session s = joins.of(sessionId);
        synchronized (s) {
            if (promptId != null && !s.closedPrompts.contains(promptId)) {
                s.openPrompt = promptId;
                s.openPromptLastActivityMs = at;
            }
        }
    }

    /** Marks a prompt closed; false when it was closed before. */
    private boolean close(String sessionId, String promptId) {
        OtlpJoins.Session s = joins.of(sessionId);
        synchronized (s) {
            if (!s.closedPrompts.add(promptId)) {
                return false;
            }
            if (s.closedPrompts.size() > OtlpJoins.MAX_PER_SESSION) {
                s.closedPrompts.remove(s.closedPrompts.iterator().next());
            }
            if (promptId.equals(s.openPrompt)) {
                s.openPrompt = null;
            }
            return true;
        }
    }

    /** A new prompt started while the previous one was never closed: it ended with its last logged activity. */
    private void closePrevious(String sessionId, String promptId, List<NewEvent> out) {
        String previous;
        long last;
        OtlpJoins.Session s = joins.of(sessionId);
        synchronized (s) {
            previous = s.openPrompt;
            last = s.openPromptLastActivityMs;
        }
        if (previous != null && !previous.equals(promptId) && close(sessionId, previous)) {
            out.add(events.event(sessionId, EventType.TASK_COMPLETE, null, last, null, null, "prompt:" + previous,
                    null, Map.of("source", "otel", "closed_by", "next_prompt")));
        }
    }

    static boolean isAgent(String tool) {
        return tool != null && (tool.equals("Agent") || tool.equals("Task"));
    }

    /** Start, end and fail event types of a tool's operation kind. */
    static EventType[] toolTypes(String tool) {
        if (isAgent(tool)) {
            return new EventType[] {EventType.SUBAGENT_SPAWN, EventType.SUBAGENT_COMPLETE, EventType.SUBAGENT_FAILED};
        }
        if (tool != null && tool.startsWith("mcp__") && tool.indexOf("__", 5) > 5) {
            return new EventType[] {EventType.MCP_REQUEST, EventType.MCP_RESPONSE, EventType.MCP_ERROR};
        }
        return new EventType[] {EventType.TOOL_PRE_CALL, EventType.TOOL_POST_CALL, EventType.TOOL_ERROR};
    }

    private static long timestamp(Object iso) {
        if (iso instanceof String s) {
            try {
                return Instant.parse(s).toEpochMilli();
            } catch (DateTimeParseException e) {
                // no usable time: now
            }
        }
        return System.currentTimeMillis();
    }
}
