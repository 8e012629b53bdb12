package dev.mos.ingest.transcript;

import dev.mos.ingest.TokenCounts;
import dev.mos.ingest.privacy.CapturePolicy;
import dev.mos.ingest.transcript.TranscriptReader.Transcript;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * OpenAI Codex CLI session files ({@code $CODEX_HOME/sessions/YYYY/MM/DD/rollout-*.jsonl}, one per thread; see
 * docs/agents/codex.md) into events of the MOS model, on the join keys the live OpenTelemetry mapping uses, so that
 * importing a session seen live adds no second task or tool: a turn ({@code event_msg task_started}) is the task
 * {@code prompt:<trace id>}, a {@code function_call} the operation of its {@code call_id}. A model call is
 * {@code llm:<response id>} from {@code token_usage_record}. A subagent's thread nests under the
 * {@code spawn_agent} call that started it and ends that call with its own {@code task_complete}. Every event
 * carries {@code "agent": "codex"}.
 */
public final class CodexRolloutMapper {

    private final JsonMapper json;
    private final CapturePolicy capture;

    public CodexRolloutMapper(JsonMapper json, CapturePolicy capture) {
        this.json = json;
        this.capture = capture;
    }

    /** A root thread's file and its subagents' files (by thread id) as one session. */
    public TranscriptMapper.Mapped map(Transcript root, Map<String, Transcript> subagents) {
        String session = meta(root).path("id").asString(null);
        if (session == null) {
            throw new TranscriptException(root.file() + ": no session_meta with an id: not a Codex session file");
        }
        // which spawn_agent call started which thread, from every file of the session (a subagent may spawn too)
        Map<String, String> spawnOf = new HashMap<>();
        List<Transcript> all = new ArrayList<>(List.of(root));
        all.addAll(subagents.values());
        for (Transcript t : all) {
            for (JsonNode e : t.entries()) {
                JsonNode item = e.path("payload").path("item");
                if (item.path("type").asString("").equals("CollabAgentToolCall")
                        && item.path("tool").asString("").equals("spawn_agent")) {
                    item.path("receiver_thread_ids").forEach(id -> spawnOf.put(id.asString(), item.path("id")
                            .asString()));
                }
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        new Thread(session, null, null, out).walk(root);
        for (Map.Entry<String, Transcript> sub : subagents.entrySet()) {
            String spawn = spawnOf.get(sub.getKey());
            String nickname = meta(sub.getValue()).path("agent_nickname").asString(null);
            Thread child = new Thread(session, spawn, nickname, out);
            child.walk(sub.getValue());
            if (spawn != null && child.completedAt > 0) {
                // the subagent's own end is its spawn's end: spawn_agent itself returns at once
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("agent_name", nickname);
                d.put("agent_id", sub.getKey());
                out.add(child.event("subagent_complete", spawn, null, "spawn_agent", child.completedAt, null, d));
            }
        }
        ImportedEvents.inTimeOrder(out);
        return new TranscriptMapper.Mapped(session, out, 0);
    }

    /** The session_meta payload of a file (its first line, by Codex's format). */
    static JsonNode meta(Transcript t) {
        for (JsonNode e : t.entries()) {
            if (e.path("type").asString("").equals("session_meta")) {
                return e.path("payload");
            }
        }
        return tools.jackson.databind.node.MissingNode.getInstance();
    }

    /** One thread's walk; a subagent's operations go under its spawn call instead of a task. */
    private final class Thread {
        final String session;
        final String parentOperation;
        final String nickname;
        /** What every event of the thread carries. */
        final Map<String, Object> fixed = new LinkedHashMap<>();
        final List<Map<String, Object>> out;
        final Map<String, String> taskOfTurn = new HashMap<>();
        final Map<String, Map<String, Object>> taskStart = new HashMap<>();
        final Map<String, JsonNode> calls = new HashMap<>();
        final Map<String, Long> callAt = new HashMap<>();
        final Map<String, JsonNode> completed = new HashMap<>();
        String model;
        String currentTask;
        long completedAt;

        Thread(String session, String parentOperation, String nickname, List<Map<String, Object>> out) {
            this.session = session;
            this.parentOperation = parentOperation;
            this.nickname = nickname;
            this.out = out;
            fixed.put("source", "codex_rollout");
            fixed.put("agent", "codex");
            fixed.put("agent_name", nickname);
        }

        String parent() {
            return parentOperation != null ? parentOperation : currentTask;
        }

        void walk(Transcript t) {
            for (JsonNode e : t.entries()) {
                long at = time(e.path("timestamp").asString(""));
                JsonNode p = e.path("payload");
                String type = e.path("type").asString("") + ":" + p.path("type").asString("");
                switch (type) {
                    case "turn_context:" -> model = p.path("model").asString(model);
                    case "event_msg:task_started" -> taskStarted(p, at);
                    case "event_msg:item_completed" -> itemCompleted(p, at);
                    case "event_msg:task_complete" -> taskComplete(p, at);
                    case "response_item:function_call" -> functionCall(p, at);
                    case "response_item:function_call_output" -> functionCallOutput(p, at);
                    default -> {
                        if (e.path("type").asString("").equals("token_usage_record")) {
                            usage(p, at);
                        }
                    }
                }
            }
        }

        void taskStarted(JsonNode p, long at) {
            if (parentOperation != null) {
                return;
            }
            String turn = p.path("turn_id").asString("");
            String trace = p.path("trace_id").asString(null);
            String task = "prompt:" + (trace != null ? trace : "turn:" + turn);
            taskOfTurn.put(turn, task);
            currentTask = task;
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("turn_id", turn);
            Map<String, Object> start = event("task_started", task, null, "Prompt", at, null, d);
            taskStart.put(turn, start);
            out.add(start);
        }

        void taskComplete(JsonNode p, long at) {
            completedAt = at;
            if (parentOperation != null) {
                return;
            }
            String task = taskOfTurn.get(p.path("turn_id").asString(""));
            if (task == null) {
                return;
            }
            Map<String, Object> d = new LinkedHashMap<>();
            if (p.hasNonNull("last_agent_message")) {
                d.put("last_agent_message", capture.value(p.path("last_agent_message").asString()));
            }
            Long duration = ImportedEvents.count(p.path("duration_ms"));
            out.add(event("task_complete", task, null, null, at, duration, d));
        }

        void itemCompleted(JsonNode p, long at) {
            JsonNode item = p.path("item");
            String kind = item.path("type").asString("");
            if (kind.equals("UserMessage") && parentOperation == null) {
                Map<String, Object> start = taskStart.get(p.path("turn_id").asString(""));
                String text = text(item.path("content"));
                if (start != null && !text.isBlank() && capture.keepsPrompts()) {
                    Map<String, Object> d = details(start);
                    String kept = capture.prompt(text);
                    String first = kept.strip().lines().findFirst().orElse("");
                    d.put("name", first.length() <= 80 ? first : first.substring(0, 80) + "…");
                    d.put("prompt", kept);
                }
            } else if (item.hasNonNull("id")) {
                completed.put(item.path("id").asString(), item);
            }
        }

        void functionCall(JsonNode p, long at) {
            String callId = p.path("call_id").asString(null);
            if (callId == null) {
                return;
            }
            calls.put(callId, p);
            callAt.put(callId, at);
            Tool tool = Tool.of(p);
            Map<String, Object> d = toolDetails(tool, p);
            out.add(event(tool.types()[0], callId, parent(), tool.name(), at, null, d));
        }

        void functionCallOutput(JsonNode p, long at) {
            String callId = p.path("call_id").asString(null);
            JsonNode call = callId == null ? null : calls.get(callId);
            if (call == null) {
                return;
            }
            Tool tool = Tool.of(call);
            if (tool.spawn()) {
                return; // ends with the subagent's own task_complete
            }
            Map<String, Object> d = toolDetails(tool, call);
            String error = error(completed.get(callId), p.path("output").asString(""));
            if (error != null) {
                d.put("error", capture.value(error));
            }
            long start = callAt.get(callId);
            out.add(event(error == null ? tool.types()[1] : tool.types()[2], callId, parent(), tool.name(), at,
                    Math.max(0, at - start), d));
        }

        void usage(JsonNode p, long at) {
            JsonNode u = p.path("usage");
            if (!u.isObject()) {
                return;
            }
            String id = p.path("response_id").asString("");
            Map<String, Object> d = new LinkedHashMap<>();
            if (model != null) {
                d.put("model", model);
            }
            ImportedEvents.copyCount(u, "input_tokens", d, "input_tokens");
            ImportedEvents.copyCount(u, "output_tokens", d, "output_tokens");
            ImportedEvents.copyCount(u, "cached_input_tokens", d, "cache_read_tokens");
            ImportedEvents.copyCount(u, "cache_write_input_tokens", d, "cache_creation_tokens");
            ImportedEvents.copyCount(u, "reasoning_output_tokens", d, "reasoning_tokens");
            TokenCounts.withoutCachedInput(d); // OpenAI counts the cache inside the input
            out.add(event("llm_response", "llm:" + (id.isEmpty() ? session + ":" + at : id), parent(),
                    model == null ? "LLM call" : model, at, null, d));
        }

        Map<String, Object> toolDetails(Tool tool, JsonNode call) {
            Map<String, Object> d = new LinkedHashMap<>();
            if (tool.mcpServer() != null) {
                d.put("mcp_server", tool.mcpServer());
                d.put("mcp_tool", tool.tool());
            }
            String arguments = call.path("arguments").asString("");
            if (capture.keepsToolIo() && !arguments.isEmpty()) {
                d.put("arguments", capture.toolIo(arguments));
            }
            JsonNode args = parse(arguments);
            if (args.path("cmd").isString()) {
                d.put("command", capture.value(args.path("cmd").asString()));
            }
            if (tool.spawn() && args.path("message").isString()) {
                d.put("prompt", capture.prompt(args.path("message").asString()));
            }
            return d;
        }

        Map<String, Object> event(String type, String correlation, String parent, String name, long at,
                Long duration, Map<String, Object> details) {
            return ImportedEvents.event(session, type, correlation, parent, name, at, duration, fixed, details);
        }
    }

    /** The failure of a call, from its completed item (exit code, MCP error) or else the output text. */
    private static String error(JsonNode item, String output) {
        if (item != null) {
            if (item.path("exit_code").isNumber() && item.path("exit_code").asInt() != 0) {
                String said = item.path("aggregated_output").asString("").strip();
                return "Process exited with code " + item.path("exit_code").asInt()
                        + (said.isEmpty() ? "" : ": " + cut(said));
            }
            if (item.path("result").path("isError").asBoolean(false)) {
                return "MCP tool error: " + cut(text(item.path("result").path("content")));
            }
            if (item.path("status").asString("").equals("failed")) {
                return "tool failed";
            }
            return null;
        }
        java.util.regex.Matcher exit = java.util.regex.Pattern.compile("Process exited with code (-?\\d{1,9})\\b")
                .matcher(output);
        return exit.find() && !exit.group(1).equals("0") ? "Process exited with code " + exit.group(1) : null;
    }

    private static String cut(String s) {
        return s.length() <= 500 ? s : s.substring(0, 500) + "…";
    }

    private static String text(JsonNode content) {
        StringBuilder b = new StringBuilder();
        for (JsonNode part : content) {
            if (part.path("text").isString()) {
                b.append(b.isEmpty() ? "" : "\n").append(part.path("text").asString());
            }
        }
        return b.toString();
    }

    /** A tool call's shown name and kind, as the live mapping names them. */
    private record Tool(String name, String tool, String mcpServer, boolean spawn) {
        static Tool of(JsonNode call) {
            String tool = call.path("name").asString("");
            String namespace = call.path("namespace").asString("");
            if (namespace.startsWith("mcp__")) {
                String server = namespace.substring("mcp__".length());
                return new Tool("mcp__" + server + "__" + tool, tool, server, false);
            }
            return new Tool(tool, tool, null, tool.equals("spawn_agent"));
        }

        String[] types() {
            if (spawn) {
                return new String[] {"subagent_spawn", "subagent_complete", "subagent_failed"};
            }
            if (mcpServer != null) {
                return new String[] {"mcp_request", "mcp_response", "mcp_error"};
            }
            return new String[] {"tool_pre_call", "tool_post_call", "tool_error"};
        }
    }

    private JsonNode parse(String text) {
        if (text.isBlank()) {
            return json.missingNode();
        }
        try {
            return json.readTree(text);
        } catch (JacksonException e) {
            return json.missingNode();
        }
    }


    @SuppressWarnings("unchecked")
    private static Map<String, Object> details(Map<String, Object> event) {
        return (Map<String, Object>) event.get("details");
    }

    private static long time(String iso) {
        try {
            return Instant.parse(iso).toEpochMilli();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }
}
