package dev.mos.ingest.otlp;

import dev.mos.ingest.TokenCounts;
import dev.mos.model.EventType;
import dev.mos.model.NewEvent;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * OpenAI Codex CLI's OpenTelemetry log events ({@code codex.*}, as 0.171.0 sends them: see docs/agents/codex.md and
 * the captured sample in the tests) into events of the MOS model. Every event carries {@code "agent": "codex"}.
 *
 * <ul>
 * <li>The session is the root conversation ({@code conversation.id}); a subagent is a conversation of its own, found
 * through the {@code agent_id} its {@code spawn_agent} call returned, and its records nest under that call.
 * <li>{@code codex.user_prompt} of the root conversation opens a task per turn ({@code prompt:<trace id>}: the logs
 * of a turn share its trace). Logs have no turn end: the next prompt closes the previous task at its last activity.
 * <li>{@code codex.tool_decision} opens a tool operation ({@code call_id}), {@code codex.tool_result} ends it with
 * Codex's {@code duration_ms}. Codex reports {@code success=true} for a command that ran and exited non-zero; the
 * exit code is only in the output text the model sees ({@code Process exited with code N}), so that is read. MCP
 * tools ({@code tool_namespace} {@code mcp__<server>}) are MCP operations with {@code mcp_server}/{@code mcp_tool};
 * {@code spawn_agent} is a subagent operation that stays open until {@code wait_agent} or {@code close_agent}
 * reports the agent final.
 * <li>{@code codex.api_request} starts an LLM operation (its span id), the following {@code codex.sse_event} of kind
 * {@code response.completed} with token counts ends it with model and tokens. Codex reports no cost.
 * </ul>
 */
public final class CodexOtelMapper {

    static final String PREFIX = "codex.";
    private static final Pattern EXIT_CODE = Pattern.compile("Process exited with code (-?\\d{1,9})\\b");
    private static final Set<String> SETTINGS = Set.of("provider_name", "approval_policy", "sandbox_policy",
            "mcp_servers", "reasoning_effort", "reasoning_summary", "app.version", "originator");
    private static final int MAX_ERROR = 500;

    private final OtlpAttributes attributes;
    private final OtlpEvents events;
    private final JsonMapper json;
    private final CodexThreads threads;
    private final CodexSubagents subagents;

    public CodexOtelMapper(OtlpAttributes attributes, OtlpEvents events, JsonMapper json, CodexThreads threads) {
        this.attributes = attributes;
        this.events = events;
        this.json = json;
        this.threads = threads;
        this.subagents = new CodexSubagents(events, threads);
    }

    /** True for Codex's own log events: their {@code event.name} starts with {@code codex.}. */
    public static boolean handles(OtlpLogRecord record) {
        String name = OtlpAttributes.text(record.attributes().get("event.name"));
        return name != null && name.startsWith(PREFIX);
    }

    /** Events for one Codex log record; empty for those about no conversation or only about Codex itself. */
    public List<NewEvent> map(OtlpLogRecord record) {
        Map<String, Object> a = record.attributes();
        String name = OtlpAttributes.text(a.get("event.name")).substring(PREFIX.length());
        String conversation = OtlpAttributes.text(a.get("conversation.id"));
        if (conversation == null || conversation.isBlank()) {
            return List.of();
        }
        // Codex leaves timeUnixNano at 0; event.timestamp has the time it happened (observed time is the export's)
        long at = timestamp(a.get("event.timestamp"), record.timeMs());
        CodexThreads.Thread t = threads.of(conversation);
        return switch (name) {
            case "conversation_starts" -> {
                Map<String, Object> settings = new LinkedHashMap<>();
                a.forEach((k, v) -> {
                    if (SETTINGS.contains(k)) {
                        settings.put(k, attributes.value(k, v));
                    }
                });
                synchronized (threads) {
                    t.settings = settings;
                }
                yield List.of();
            }
            case "user_prompt" -> userPrompt(t, conversation, record, at);
            case "api_request" -> apiRequest(t, conversation, record, at);
            case "sse_event" -> sseEvent(t, conversation, a, at);
            case "tool_decision" -> toolDecision(t, a, at);
            case "tool_result" -> toolResult(t, a, at);
            default -> List.of(); // startup_phase, turn_ttft, ...: about Codex, not the session's work
        };
    }

    private List<NewEvent> userPrompt(CodexThreads.Thread t, String conversation, OtlpLogRecord record, long at) {
        if (t.parentOperation != null) {
            return List.of(); // a subagent's prompt is its spawn_agent call's message, on that operation already
        }
        Map<String, Object> a = record.attributes();
        List<NewEvent> out = new ArrayList<>(2);
        String previous;
        long last;
        Map<String, Object> settings;
        String task;
        CodexThreads.TurnEnd notified;
        synchronized (threads) {
            // a turn is a trace of its own in 0.171.0; should two prompts ever share one, each still is a task
            task = record.traceId() == null ? "prompt:" + conversation + ":" + at
                    : t.taskByTrace.containsKey(record.traceId()) ? "prompt:" + record.traceId() + ":" + at
                    : "prompt:" + record.traceId();
            if (record.traceId() != null) {
                t.taskByTrace.put(record.traceId(), task);
            }
            previous = t.task != null && t.closedTasks.contains(t.task) ? null : t.task;
            last = t.taskLastActivityMs;
            settings = t.settings;
            t.task = task;
            t.taskLastActivityMs = at;
            notified = threads.takeNotifiedEarly(conversation); // with t.task set: a later notify finds the task
        }
        if (previous != null && !previous.equals(task)) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("source", "otel");
            d.put("closed_by", "next_prompt");
            d.put("agent", "codex");
            out.add(events.event(t.session, EventType.TASK_COMPLETE, null, last, null, null, previous, null, d));
        }
        String prompt = OtlpAttributes.text(a.get("prompt"));
        // without log_user_prompt = true Codex logs no prompt text, only its length
        String title = prompt == null || prompt.isBlank() || prompt.startsWith("[REDACTED")
                || prompt.startsWith("<REDACTED") ? "Prompt" : attributes.firstLine(prompt);
        Map<String, Object> d = details(t, title, a);
        settings.forEach(d::putIfAbsent);
        out.add(events.event(t.session, EventType.TASK_STARTED, null, at, null, null, task, title, d));
        CodexThreads.TurnEnd end = record.traceId() == null ? null
                : threads.takeEarlyTurnEnd(conversation, record.traceId());
        if (end == null && notified != null) {
            // the notify overtook this turn's logs: the turn ended by the time it came
            end = new CodexThreads.TurnEnd(Math.max(notified.endMs(), at), null, notified.details());
        }
        if (end != null) {
            synchronized (threads) {
                t.closedTasks.add(task);
            }
            out.add(events.event(t.session, EventType.TASK_COMPLETE, null, end.endMs(), end.durationMs(), null,
                    task, null, end.details()));
        }
        return out;
    }

    private List<NewEvent> apiRequest(CodexThreads.Thread t, String conversation, OtlpLogRecord record, long at) {
        Map<String, Object> a = record.attributes();
        Long duration = OtlpAttributes.number(a.get("duration_ms"));
        long start = duration == null ? at : at - duration;
        String llm = "llm:" + (record.spanId() != null ? record.spanId() : conversation + ":" + at);
        Long status = OtlpAttributes.number(a.get("http.response.status_code"));
        String error = OtlpAttributes.text(a.get("error.message"));
        String model = OtlpAttributes.text(a.get("model"));
        Map<String, Object> d = details(t, model, a);
        activity(t, at);
        if (error != null || (status != null && status >= 400)) {
            d.put("error", error != null ? error : "HTTP " + status);
            synchronized (threads) {
                t.llm = null;
            }
            return List.of(events.event(t.session, EventType.LLM_ERROR, null, at, duration, t.parent(), llm,
                    model == null ? "LLM call" : model, d));
        }
        synchronized (threads) {
            t.llm = llm;
            t.llmStartMs = start;
        }
        return List.of(events.event(t.session, EventType.LLM_REQUEST, null, start, null, t.parent(), llm,
                model == null ? "LLM call" : model, d));
    }

    private List<NewEvent> sseEvent(CodexThreads.Thread t, String conversation, Map<String, Object> a, long at) {
        String kind = OtlpAttributes.text(a.get("event.kind"));
        String error = OtlpAttributes.text(a.get("error.message"));
        boolean failed = error != null || "response.failed".equals(kind);
        boolean usage = "response.completed".equals(kind) && a.containsKey("input_token_count");
        if (!failed && !usage) {
            return List.of(); // every streamed event is logged; only the outcome makes an event
        }
        String llm;
        long start;
        synchronized (threads) {
            llm = t.llm != null ? t.llm : "llm:" + conversation + ":" + at;
            start = t.llm != null ? t.llmStartMs : at;
            t.llm = null;
        }
        activity(t, at);
        String model = OtlpAttributes.text(a.get("model"));
        Map<String, Object> d = details(t, model, a);
        if (model != null) {
            d.put("model", model);
        }
        copy(a, "input_token_count", d, "input_tokens");
        copy(a, "output_token_count", d, "output_tokens");
        copy(a, "cached_token_count", d, "cache_read_tokens");
        copy(a, "cache_write_token_count", d, "cache_creation_tokens");
        copy(a, "reasoning_token_count", d, "reasoning_tokens");
        TokenCounts.withoutCachedInput(d); // OpenAI counts the cache inside the input
        if (failed) {
            d.put("error", error != null ? error : "response failed");
        }
        return List.of(events.event(t.session, failed ? EventType.LLM_ERROR : EventType.LLM_RESPONSE, null, at,
                Math.max(0, at - start), t.parent(), llm, model == null ? "LLM call" : model, d));
    }

    private List<NewEvent> toolDecision(CodexThreads.Thread t, Map<String, Object> a, long at) {
        String callId = OtlpAttributes.text(a.get("call_id"));
        CodexTool tool = CodexTool.of(a);
        Map<String, Object> d = toolDetails(t, tool, a);
        activity(t, at);
        List<NewEvent> out = new ArrayList<>(2);
        out.add(events.event(t.session, tool.types()[0], null, at, null, t.parent(), callId, tool.name(), d));
        String decision = OtlpAttributes.text(a.get("decision"));
        if (decision != null && !decision.startsWith("approved")) {
            d.put("error", "tool call " + decision + " (" + a.getOrDefault("source", "unknown") + ")");
            out.add(events.event(t.session, tool.types()[2], null, at, 0L, t.parent(), callId, tool.name(), d));
        }
        return out;
    }

    private List<NewEvent> toolResult(CodexThreads.Thread t, Map<String, Object> a, long at) {
        String callId = OtlpAttributes.text(a.get("call_id"));
        Long duration = OtlpAttributes.number(a.get("duration_ms"));
        long start = duration == null ? at : at - duration;
        CodexTool tool = CodexTool.of(a);
        Map<String, Object> d = toolDetails(t, tool, a);
        activity(t, at);
        String output = OtlpAttributes.text(a.get("output"));
        String error = null;
        if ("false".equalsIgnoreCase(String.valueOf(a.get("success")))) {
            error = output == null || output.isBlank() ? "tool failed" : OtlpEvents.cut(output.strip(), MAX_ERROR);
        } else if (output != null) {
            Matcher exit = EXIT_CODE.matcher(output);
            if (exit.find() && !exit.group(1).equals("0")) {
                d.put("exit_code", Integer.parseInt(exit.group(1)));
                int body = output.indexOf("Output:\n");
                String said = body < 0 ? "" : output.substring(body + "Output:\n".length()).strip();
                error = OtlpEvents.cut("Process exited with code " + exit.group(1)
                        + (said.isEmpty() ? "" : ": " + said), MAX_ERROR);
            }
        }
        if (error != null) {
            d.put("error", attributes.value("error", error));
        }
        List<NewEvent> out = new ArrayList<>(3);
        if (tool.spawn()) {
            out.add(events.event(t.session, EventType.SUBAGENT_SPAWN, null, start, null, t.parent(), callId,
                    tool.name(), d));
            JsonNode spawned = parse(output);
            String agentId = spawned == null ? null : spawned.path("agent_id").asString(null);
            String nickname = spawned == null ? null : spawned.path("nickname").asString(null);
            if (error != null) {
                out.add(events.event(t.session, EventType.SUBAGENT_FAILED, null, at, duration, t.parent(), callId,
                        tool.name(), d));
            } else if (agentId != null && callId != null) {
                threads.spawned(agentId, nickname, t.session, callId, start);
            }
            return out;
        }
        out.add(events.event(t.session, error == null ? tool.types()[1] : tool.types()[2], null, at, duration,
                t.parent(), callId, tool.name(), d));
        if (tool.name().equals("wait_agent")) {
            subagents.waited(parse(output), at, out);
        } else if (tool.name().equals("close_agent") && error == null) {
            subagents.closed(parse(OtlpAttributes.text(a.get("arguments"))), at, out);
        }
        return out;
    }

    private Map<String, Object> toolDetails(CodexThreads.Thread t, CodexTool tool, Map<String, Object> a) {
        Map<String, Object> d = details(t, tool.name(), a);
        if (tool.mcpServer() != null) {
            d.put("mcp_server", tool.mcpServer());
            d.put("mcp_tool", tool.tool());
        }
        JsonNode args = parse(OtlpAttributes.text(a.get("arguments")));
        if (args != null && args.path("cmd").isString()) {
            d.put("command", attributes.value("command", args.path("cmd").asString()));
        }
        if (tool.spawn() && args != null && args.path("message").isString()) {
            d.put("prompt", attributes.value("prompt", args.path("message").asString()));
        }
        return d;
    }

    private Map<String, Object> details(CodexThreads.Thread t, String name, Map<String, Object> a) {
        Map<String, Object> d = attributes.details(name, "otel", a);
        // on every record: which credentials were present, the SDK's name; nothing about the session's work
        d.keySet().removeIf(k -> k.startsWith("auth.") || k.startsWith("telemetry.sdk."));
        if (t.agentName != null) {
            d.putIfAbsent("agent_name", t.agentName); // the subagent's nickname, as spawn_agent returned it
        }
        d.remove("mcp_server_origin");
        if ("".equals(d.get("mcp_server"))) {
            d.remove("mcp_server");
        }
        d.put("agent", "codex");
        return d;
    }

    /** Activity of a thread (or its subagents) keeps the root conversation's open task alive until then. */
    private void activity(CodexThreads.Thread t, long at) {
        CodexThreads.Thread root = t.parentOperation == null ? t : threads.of(t.session);
        synchronized (threads) {
            root.taskLastActivityMs = Math.max(root.taskLastActivityMs, at);
        }
    }

    private JsonNode parse(String text) {
        if (text == null || text.isBlank() || text.charAt(0) != '{') {
            return null;
        }
        try {
            JsonNode node = json.readTree(text);
            return node.isObject() ? node : null;
        } catch (JacksonException e) {
            return null; // output is text the model reads, JSON only by convention
        }
    }

    private static void copy(Map<String, Object> from, String key, Map<String, Object> to, String as) {
        Long n = OtlpAttributes.number(from.get(key));
        if (n != null) {
            to.remove(key);
            to.put(as, n);
        }
    }

    private static long timestamp(Object iso, long fallbackMs) {
        if (iso instanceof String s) {
            try {
                return Instant.parse(s).toEpochMilli();
            } catch (DateTimeParseException e) {
                // fall through
            }
        }
        return fallbackMs > 0 ? fallbackMs : System.currentTimeMillis();
    }
}
