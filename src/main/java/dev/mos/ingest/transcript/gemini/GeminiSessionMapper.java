package dev.mos.ingest.transcript.gemini;

import dev.mos.ingest.TokenCounts;
import dev.mos.ingest.privacy.CapturePolicy;
import dev.mos.ingest.transcript.ImportedEvents;
import dev.mos.ingest.transcript.TranscriptException;
import dev.mos.ingest.transcript.TranscriptMapper;
import dev.mos.model.CodingAgent;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Gemini CLI session's chats ({@link GeminiChat}: the main chat and its subagents') into events of the MOS model,
 * in the shape of tree the live OpenTelemetry mapping ({@code GeminiCliOtelMapper}) builds, in the same session
 * (the header's {@code sessionId} is OTLP's {@code session.id}):
 * <ul>
 * <li>a user message with text (not the {@code <session_context>} preamble, not a slash command, not the
 * {@code functionResponse} messages that carry tool results back) is a task {@code prompt:gemini:<message id>},
 * closed by the turn's final answer (a gemini message with text and no tool calls) or else by the next prompt;
 * <li>a gemini message is one model call {@code llm:gemini:<message id>} with its model and tokens (input uncached:
 * Gemini counts the cache inside), from the message before it (the request went out then) to its own time;
 * <li>each of its {@code toolCalls} is a tool operation of its call id, from the message to the call's end, with its
 * arguments, output and outcome ({@link GeminiToolCall}); {@code mcp_<server>_<tool>} calls are MCP operations;
 * <li>{@code invoke_agent} is the subagent {@code agent:<agent id>}, the live mapping's id, with the subagent's chat
 * (tied by its {@code agentId}) nested under it.
 * </ul>
 * Gemini writes no prompt id and no start times into the files, so the other ids cannot be the live ones:
 * {@link GeminiLiveMatch} moves them onto the live operations when the session was also seen live. Every event
 * carries {@code "agent": "gemini-cli"} and {@code "source": "gemini_session_file"}.
 */
public final class GeminiSessionMapper {

    static final String SOURCE = "gemini_session_file";

    private final JsonMapper json;
    private final CapturePolicy capture;

    public GeminiSessionMapper(JsonMapper json, CapturePolicy capture) {
        this.json = json;
        this.capture = capture;
    }

    /** A main chat and its subagents' chats (by agent id) as one session's events, in time order. */
    public TranscriptMapper.Mapped map(GeminiChat main, Map<String, GeminiChat> subagents) {
        if (main.subagent()) {
            throw new TranscriptException(main.file() + ": a Gemini CLI subagent chat, not a session's main chat");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        Walk walk = new Walk(main.sessionId(), null, null, out, subagents);
        walk.chat(main);
        int repeated = main.repeatedLines();
        for (GeminiChat sub : subagents.values()) {
            repeated += sub.repeatedLines();
            if (!walk.subagentsRun.contains(sub.sessionId())) {
                // no invoke_agent names it (the main chat was cut off): it still gets its operation
                Walk child = new Walk(main.sessionId(), "agent:" + sub.sessionId(), null, out, Map.of());
                long start = time(sub.header().getOrDefault("startTime", json.missingNode()));
                child.emit("subagent_spawn", "agent:" + sub.sessionId(), walk.lastTask, "subagent", start, null,
                        new LinkedHashMap<>(Map.of("agent_id", sub.sessionId())));
                child.chat(sub);
            }
        }
        ImportedEvents.inTimeOrder(out);
        return new TranscriptMapper.Mapped(main.sessionId(), List.copyOf(out), repeated);
    }

    /** One chat's walk; a subagent's calls go under its {@code agent:<id>} operation instead of a task. */
    private final class Walk {
        final String session;
        final String agentOperation;
        final String agentName;
        /** What every event of the chat carries. */
        final Map<String, Object> fixed = new LinkedHashMap<>();
        final List<Map<String, Object>> out;
        final Map<String, GeminiChat> subagents;
        final Set<String> subagentsRun = new HashSet<>();
        String task;
        /** The latest prompt's task: where a subagent no invoke_agent names is put. */
        String lastTask;
        long taskActivity;

        Walk(String session, String agentOperation, String agentName, List<Map<String, Object>> out,
                Map<String, GeminiChat> subagents) {
            this.session = session;
            this.agentOperation = agentOperation;
            this.agentName = agentName;
            fixed.put("source", SOURCE);
            fixed.put(CodingAgent.DETAILS_KEY, CodingAgent.GEMINI_CLI);
            fixed.put("agent_name", agentName);
            this.out = out;
            this.subagents = subagents;
        }

        String parent() {
            return agentOperation != null ? agentOperation : task;
        }

        void chat(GeminiChat chat) {
            long previous = time(chat.header().getOrDefault("startTime", json.missingNode()));
            for (JsonNode m : chat.messages()) {
                long at = time(m.path("timestamp"));
                at = at > 0 ? at : previous;
                switch (m.path("type").asString("")) {
                    case "user" -> {
                        // a subagent's user message is the task it was given, already on its invoke_agent call
                        if (agentOperation == null) {
                            user(m, at);
                        }
                    }
                    case "gemini" -> gemini(m, previous, at);
                    default -> {
                        // info, warning, error: what the CLI showed the user, not work
                    }
                }
                previous = Math.max(previous, at);
            }
            // a last turn without a final answer is left open: it may be running still (or was cut off)
        }

        void user(JsonNode m, long at) {
            JsonNode content = m.path("displayContent").isMissingNode() || m.path("displayContent").isNull()
                    ? m.path("content") : m.path("displayContent");
            String text = text(content);
            String trimmed = text.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("/") || trimmed.startsWith("?")
                    || trimmed.startsWith("<session_context>") || trimmed.startsWith("<hook_context>")) {
                return; // tool results going back, the preamble, slash commands: Gemini skips them on resume too
            }
            if (task != null) {
                close("next_prompt", taskActivity);
            }
            task = "prompt:gemini:" + m.path("id").asString();
            lastTask = task;
            taskActivity = at;
            Map<String, Object> d = new LinkedHashMap<>();
            String name = "Prompt";
            if (capture.keepsPrompts()) {
                String kept = capture.prompt(text);
                String first = capture.redact(kept).strip().lines().findFirst().orElse("");
                name = first.isEmpty() ? "Prompt" : first.length() <= 80 ? first : first.substring(0, 80) + "…";
                d.put("prompt", kept);
            }
            d.put("message_id", m.path("id").asString());
            emit("task_started", task, null, name, at, null, d);
        }

        void close(String by, long at) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("closed_by", by);
            emit("task_complete", task, null, null, at, null, d);
            task = null;
        }

        void gemini(JsonNode m, long previous, long at) {
            String model = m.path("model").asString(null);
            String text = m.path("content").isString() ? m.path("content").asString() : text(m.path("content"));
            JsonNode calls = m.path("toolCalls");
            if (m.path("tokens").isObject() || !text.isBlank()) {
                String llm = "llm:gemini:" + m.path("id").asString();
                String name = model == null ? "LLM call" : model;
                Map<String, Object> start = new LinkedHashMap<>();
                start.put("model", model);
                emit("llm_request", llm, parent(), name, Math.min(previous, at), null, start);
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("model", model);
                JsonNode t = m.path("tokens");
                ImportedEvents.copyCount(t, "input", d, "input_tokens");
                ImportedEvents.copyCount(t, "output", d, "output_tokens");
                ImportedEvents.copyCount(t, "cached", d, "cache_read_tokens");
                ImportedEvents.copyCount(t, "thoughts", d, "thoughts_tokens");
                ImportedEvents.copyCount(t, "tool", d, "tool_tokens");
                ImportedEvents.copyCount(t, "total", d, "total_tokens");
                TokenCounts.withoutCachedInput(d); // Gemini counts the cached prompt inside its input count
                if (!text.isBlank() && capture.keepsToolIo()) {
                    d.put("response", capture.toolIo(text));
                }
                emit("llm_response", llm, parent(), name, at, Math.max(0, at - Math.min(previous, at)), d);
            }
            long last = at;
            for (JsonNode c : calls) {
                GeminiToolCall call = GeminiToolCall.of(c, at);
                if (call.id() == null) {
                    continue;
                }
                tool(call, at);
                last = Math.max(last, call.endMs());
            }
            taskActivity = Math.max(taskActivity, last);
            if (agentOperation == null && task != null && calls.isEmpty() && !text.isBlank()) {
                close("final_response", at);
            }
        }

        void tool(GeminiToolCall call, long at) {
            Map<String, Object> d = new LinkedHashMap<>();
            if (call.mcpServer() != null) {
                d.put("mcp_server", call.mcpServer());
                d.put("mcp_tool", call.mcpTool());
            }
            Map<String, Object> start = new LinkedHashMap<>(d);
            if (capture.keepsToolIo() && call.args().isObject()) {
                d.put("arguments", capture.toolIo(json.writeValueAsString(call.args())));
            }
            if (call.name().equals("run_shell_command") && call.args().path("command").isString()) {
                d.put("command", capture.value(call.args().path("command").asString()));
            }
            if (call.output() != null && capture.keepsToolIo()) {
                d.put("output", capture.toolIo(call.output()));
            }
            if (call.error() != null) {
                d.put("error", capture.value(call.error()));
            }
            if (call.exitCode() != null) {
                d.put("exit_code", call.exitCode());
            }
            long end = Math.max(at, call.endMs());
            if (call.kind().equals("subagent")) {
                subagent(call, at, end, start, d);
                return;
            }
            d.put("call_id", call.id());
            emit(call.startType(), call.id(), parent(), call.name(), at, null, start);
            emit(call.endType(), call.id(), parent(), call.name(), end, end - at, d);
        }

        /** The subagent operation has the live id {@code agent:<agent id>}; its chat's calls nest under it. */
        void subagent(GeminiToolCall call, long at, long end, Map<String, Object> start, Map<String, Object> d) {
            String id = call.agentId() != null ? "agent:" + call.agentId() : call.id();
            GeminiChat chat = call.agentId() == null ? null : subagents.get(call.agentId());
            long begin = chat == null ? at
                    : Math.max(at, time(chat.header().getOrDefault("startTime", json.missingNode())));
            String name = call.agentName() != null ? call.agentName() : call.name();
            start.put("subagent_type", call.agentName());
            start.put("agent_id", call.agentId());
            if (capture.keepsPrompts() && call.args().path("prompt").isString()) {
                start.put("prompt", capture.prompt(call.args().path("prompt").asString()));
            }
            d.put("subagent_type", call.agentName());
            d.put("agent_id", call.agentId());
            d.put("call_id", call.id());
            if (chat != null && chat.header().containsKey("summary") && capture.keepsToolIo()) {
                d.put("summary", capture.toolIo(chat.header().get("summary").asString("")));
            }
            emit("subagent_spawn", id, parent(), name, begin, null, start);
            emit(call.endType(), id, parent(), name, end, end - begin, d);
            if (chat != null) {
                subagentsRun.add(call.agentId());
                new Walk(session, id, name, out, Map.of()).chat(chat);
            }
        }

        void emit(String type, String correlation, String parent, String name, long at, Long duration,
                Map<String, Object> details) {
            out.add(ImportedEvents.event(session, type, correlation, parent, name, Math.max(0, at), duration, fixed,
                    details));
        }
    }

    /** The text parts of a message's content (a list of parts, or a string) joined by new lines. */
    static String text(JsonNode content) {
        if (content.isString()) {
            return content.asString();
        }
        StringBuilder b = new StringBuilder();
        for (JsonNode part : content) {
            if (part.path("text").isString() && !part.path("thought").asBoolean(false)) {
                b.append(b.isEmpty() ? "" : "\n").append(part.path("text").asString());
            }
        }
        return b.toString();
    }


    static long time(JsonNode value) {
        if (!value.isString()) {
            return 0;
        }
        try {
            return Instant.parse(value.asString()).toEpochMilli();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }
}
