package dev.mos.ingest.transcript;

import dev.mos.ingest.privacy.CapturePolicy;
import dev.mos.ingest.transcript.TranscriptReader.Transcript;
import dev.mos.model.CodingAgent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns one session's transcripts into MOS events (in the {@code log_event} shape) with the same identities the
 * live paths use, so that an import, the hooks and OTLP describe one tree and an import can be checked against what
 * is already stored: a task per prompt ({@code prompt:<promptId>}), an operation per {@code tool_use} id paired with
 * its {@code tool_result} (errors marked, MCP tools split into server and tool), the Agent/Task tool as a subagent
 * operation with the subagent transcript's calls nested under it, and an LLM operation per API response
 * ({@code llm:<requestId>}) with its model and token usage. Claude Code writes one response as one line per content
 * block; lines with the same message id and request id are one response.
 *
 * <p>Times are the transcript's: a tool runs from its {@code tool_use} line to its {@code tool_result} line, a model
 * call from its {@code api-request} line (else the line before it) to its last content line.
 */
public final class TranscriptMapper {

    private static final int TASK_NAME_CHARS = 80;
    /** Transcripts are Claude Code's. */
    private static final Map<String, Object> CLAUDE_CODE = Map.of(CodingAgent.DETAILS_KEY, CodingAgent.CLAUDE_CODE);

    /** The events of one session, in time order, and how many transcript lines were repeats of a response. */
    public record Mapped(String sessionId, List<Map<String, Object>> events, int repeatedLines) {
    }

    private final JsonMapper json;
    private final CapturePolicy capture;

    public TranscriptMapper(JsonMapper json, CapturePolicy capture) {
        this.json = json;
        this.capture = capture;
    }

    public Mapped map(Transcript main, Map<String, Transcript> subagents) {
        String sessionId = sessionId(main);
        Walk walk = new Walk(sessionId, main.file().toString());
        // every Agent call's result names its subagent; collected first, as subagents may spawn subagents
        collectAgentCalls(main, walk.agentCalls);
        subagents.values().forEach(t -> collectAgentCalls(t, walk.agentCalls));
        walk.thread(main.entries(), null);
        for (Map.Entry<String, Transcript> sub : subagents.entrySet()) {
            String agentId = sub.getKey();
            String call = walk.agentCalls.get(agentId);
            String parent = call;
            if (call == null) {
                // no Agent call names this subagent (cut-off transcript): it gets an operation of its own
                parent = "agent:" + agentId;
                walk.ownSubagent(parent, agentId, sub.getValue().entries());
            }
            walk.thread(sub.getValue().entries(), parent);
        }
        // stored in time order, so that the tree lists calls in the order they were made
        ImportedEvents.inTimeOrder(walk.out);
        return new Mapped(sessionId, List.copyOf(walk.out), walk.repeatedLines);
    }

    private static void collectAgentCalls(Transcript t, Map<String, String> into) {
        for (JsonNode e : t.entries()) {
            String agentId = e.path("toolUseResult").path("agentId").asString(null);
            if (agentId == null) {
                continue;
            }
            for (JsonNode result : TranscriptContent.blocks(e.path("message"), "tool_result")) {
                if (result.path("tool_use_id").isString()) {
                    into.putIfAbsent(agentId, result.path("tool_use_id").stringValue());
                }
            }
        }
    }

    private static String sessionId(Transcript t) {
        for (JsonNode e : t.entries()) {
            if (e.path("sessionId").isString()) {
                return e.path("sessionId").stringValue();
            }
        }
        throw new TranscriptException(t.file() + ": no sessionId");
    }

    /** A model response being assembled from its lines. */
    private static final class Response {
        String correlation;
        String parent;
        long start;
        long end;
        String model;
        JsonNode usage;
        String stopReason;
        String requestId;
        String messageId;
        boolean error;
        String errorText;
    }

    private record OpenTool(String kind, String name, long start, String parent) {
    }

    /** State of one import: every event goes to {@link #out}. */
    private final class Walk {
        final String sessionId;
        final String transcriptPath;
        final List<Map<String, Object>> out = new ArrayList<>();
        /** agentId -> the Agent call (tool_use id) whose tool_result names it. */
        final Map<String, String> agentCalls = new HashMap<>();
        int repeatedLines;

        Walk(String sessionId, String transcriptPath) {
            this.sessionId = sessionId;
            this.transcriptPath = transcriptPath;
        }

        /**
         * One conversation thread. {@code fixedParent} is null for the main thread (calls nest under the current
         * prompt's task) and the subagent's operation for a subagent thread (whose first user line is the Agent
         * tool's prompt, not a prompt of the user).
         */
        void thread(List<JsonNode> entries, String fixedParent) {
            boolean main = fixedParent == null;
            Map<String, Long> requestStarts = new HashMap<>();
            Map<String, Response> responses = new LinkedHashMap<>();
            Map<String, OpenTool> openTools = new HashMap<>();
            String task = null;
            long taskLast = 0;
            Response taskLastResponse = null;
            long previous = -1;
            for (JsonNode e : entries) {
                String type = e.path("type").asString("");
                long at = TranscriptContent.time(e.path("timestamp"));
                if (type.equals("api-request")) {
                    if (at >= 0 && e.path("id").isString()) {
                        requestStarts.put(e.path("id").stringValue(), at);
                    }
                    continue;
                }
                if (at < 0 || !(type.equals("user") || type.equals("assistant"))) {
                    continue;
                }
                String parent = main ? task : fixedParent;
                JsonNode message = e.path("message");
                if (type.equals("user")) {
                    List<JsonNode> results = TranscriptContent.blocks(message, "tool_result");
                    if (results.isEmpty()) {
                        if (main && !e.path("isMeta").asBoolean(false) && !e.path("isSidechain").asBoolean(false)) {
                            if (task != null) {
                                closeTask(task, taskLast, taskLastResponse);
                            }
                            task = "prompt:" + e.path("promptId").asString(e.path("uuid").asString("unknown"));
                            taskLastResponse = null;
                            startTask(task, at, e, TranscriptContent.promptText(message));
                        }
                    } else {
                        for (JsonNode result : results) {
                            toolResult(result, e, at, parent, openTools);
                        }
                    }
                } else {
                    String messageId = message.path("id").asString(null);
                    String requestId = e.path("requestId").asString(null);
                    String key = messageId == null && requestId == null ? e.path("uuid").asString("")
                            : messageId + "|" + requestId;
                    Response r = responses.get(key);
                    if (r == null) {
                        r = new Response();
                        r.requestId = requestId;
                        r.messageId = messageId;
                        r.correlation = "llm:" + (requestId != null ? requestId
                                : messageId != null ? messageId : e.path("uuid").asString(""));
                        r.parent = parent;
                        Long requested = requestStarts.get(e.path("requestRef").asString(""));
                        r.start = requested != null ? requested : previous >= 0 ? previous : at;
                        responses.put(key, r);
                    } else {
                        repeatedLines++;
                    }
                    r.end = Math.max(r.end, at);
                    r.model = message.path("model").asString(r.model);
                    if (message.path("usage").isObject()) {
                        r.usage = message.path("usage");
                    }
                    if (message.path("stop_reason").isString()) {
                        r.stopReason = message.path("stop_reason").stringValue();
                    }
                    if (e.path("isApiErrorMessage").asBoolean(false)) {
                        r.error = true;
                        r.errorText = TranscriptContent.firstText(message);
                    }
                    for (JsonNode use : TranscriptContent.blocks(message, "tool_use")) {
                        toolUse(use, at, parent, openTools);
                    }
                    taskLastResponse = r;
                }
                previous = at;
                taskLast = Math.max(taskLast, at);
            }
            for (Response r : responses.values()) {
                llm(r);
            }
            if (task != null) {
                closeTask(task, taskLast, taskLastResponse);
            }
        }

        void ownSubagent(String op, String agentId, List<JsonNode> entries) {
            long first = Long.MAX_VALUE;
            long last = -1;
            String promptId = null;
            for (JsonNode e : entries) {
                long at = TranscriptContent.time(e.path("timestamp"));
                if (at >= 0) {
                    first = Math.min(first, at);
                    last = Math.max(last, at);
                }
                if (promptId == null && e.path("promptId").isString()) {
                    promptId = e.path("promptId").stringValue();
                }
            }
            if (last < 0) {
                return;
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("agent_id", agentId);
            details.put("source", "transcript");
            add(event("subagent_spawn", op, promptId == null ? null : "prompt:" + promptId, "subagent", first,
                    null, details));
            add(event("subagent_complete", op, null, "subagent", last, last - first, details));
        }

        private void startTask(String task, long at, JsonNode e, String prompt) {
            Map<String, Object> details = new LinkedHashMap<>();
            String kept = capture.prompt(prompt);
            if (kept != null) {
                details.put("prompt", kept);
            }
            putText(details, "cwd", e.path("cwd"));
            putText(details, "git_branch", e.path("gitBranch"));
            putText(details, "version", e.path("version"));
            details.put("transcript_path", capture.value(transcriptPath));
            details.put("source", "transcript");
            String name = kept == null || kept.isBlank() ? "Prompt" : firstLine(kept);
            add(event("task_started", task, null, name, at, null, details));
        }

        /** A prompt is over once its last response ended the turn (or a later prompt began); else it is running. */
        private void closeTask(String task, long last, Response lastResponse) {
            if (lastResponse == null) {
                return;
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("source", "transcript");
            if (lastResponse.error) {
                if (lastResponse.errorText != null) {
                    details.put("error", capture.value(lastResponse.errorText));
                }
                add(event("task_failed", task, null, null, last, null, details));
            } else if (!"tool_use".equals(lastResponse.stopReason)) {
                add(event("task_complete", task, null, null, last, null, details));
            }
        }

        private void toolUse(JsonNode use, long at, String parent, Map<String, OpenTool> openTools) {
            String id = use.path("id").asString(null);
            String name = use.path("name").asString("tool");
            if (id == null) {
                return;
            }
            String kind = ToolKinds.kindOf(name);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("tool_name", name);
            ToolKinds.describe(kind, name, details);
            JsonNode input = use.path("input");
            if (capture.keepsToolIo() && !input.isMissingNode()) {
                details.put("tool_input", capture.toolIo(json.writeValueAsString(input)));
            }
            if ("subagent".equals(kind) && input.path("subagent_type").isString()) {
                details.put("agent_type", input.path("subagent_type").stringValue());
            }
            details.put("source", "transcript");
            Map<String, Object> e = event(ToolKinds.startType(kind), id, parent, name, at, null, details);
            if (input.path("description").isString()) {
                ((Map<String, Object>) details(e)).put("description",
                        capture.cut(input.path("description").stringValue(), 200));
            }
            add(e);
            openTools.put(id, new OpenTool(kind, name, at, parent));
        }

        private void toolResult(JsonNode result, JsonNode entry, long at, String parent,
                Map<String, OpenTool> openTools) {
            String id = result.path("tool_use_id").asString(null);
            if (id == null) {
                return;
            }
            OpenTool open = openTools.remove(id);
            String name = open != null ? open.name() : null;
            String kind = open != null ? open.kind() : "tool";
            boolean failed = result.path("is_error").asBoolean(false);
            Map<String, Object> details = new LinkedHashMap<>();
            if (name != null) {
                details.put("tool_name", name);
                ToolKinds.describe(kind, name, details);
            }
            JsonNode structured = entry.path("toolUseResult");
            String text = TranscriptContent.contentText(result.path("content"));
            if (failed) {
                details.put("error", capture.value(text == null ? "tool failed" : text));
            } else if (capture.keepsToolIo()) {
                String response = structured.isObject() ? json.writeValueAsString(structured) : text;
                if (response != null) {
                    details.put("tool_response", capture.toolIo(response));
                }
            }
            if ("subagent".equals(kind) && structured.path("agentId").isString()) {
                details.put("agent_id", structured.path("agentId").stringValue());
                TranscriptContent.copyNumber(structured, "totalTokens", details, "total_tokens");
                TranscriptContent.copyNumber(structured, "totalToolUseCount", details, "total_tool_use_count");
            }
            details.put("source", "transcript");
            Long duration = open == null ? null : Math.max(0, at - open.start());
            add(event(failed ? ToolKinds.failType(kind) : ToolKinds.endType(kind), id,
                    open != null ? open.parent() : parent, name, at, duration, details));
        }

        private void llm(Response r) {
            Map<String, Object> details = new LinkedHashMap<>();
            if (r.model != null) {
                details.put("model", r.model);
            }
            if (r.usage != null) {
                TranscriptContent.copyNumber(r.usage, "input_tokens", details, "input_tokens");
                TranscriptContent.copyNumber(r.usage, "output_tokens", details, "output_tokens");
                TranscriptContent.copyNumber(r.usage, "cache_read_input_tokens", details, "cache_read_tokens");
                TranscriptContent.copyNumber(r.usage, "cache_creation_input_tokens", details, "cache_creation_tokens");
            }
            if (r.requestId != null) {
                details.put("request_id", r.requestId);
            }
            if (r.messageId != null) {
                details.put("message_id", r.messageId);
            }
            if (r.stopReason != null) {
                details.put("stop_reason", r.stopReason);
            }
            details.put("source", "transcript");
            String name = r.model == null ? "LLM call" : r.model;
            add(event("llm_request", r.correlation, r.parent, name, r.start, null, new LinkedHashMap<>(details)));
            if (r.error && r.errorText != null) {
                details.put("error", capture.value(r.errorText));
            }
            add(event(r.error ? "llm_error" : "llm_response", r.correlation, r.parent, name, r.end,
                    Math.max(0, r.end - r.start), details));
        }

        private Map<String, Object> event(String type, String correlation, String parent, String name, long at,
                Long duration, Map<String, Object> details) {
            return ImportedEvents.event(sessionId, type, correlation, parent, name, at, duration, CLAUDE_CODE, details);
        }

        private void add(Map<String, Object> event) {
            out.add(event);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> details(Map<String, Object> event) {
        return (Map<String, Object>) event.get("details");
    }

    private void putText(Map<String, Object> details, String key, JsonNode value) {
        if (value.isString() && !value.stringValue().isBlank()) {
            details.put(key, capture.value(value.stringValue()));
        }
    }

    private static String firstLine(String text) {
        String line = text.strip();
        int nl = line.indexOf('\n');
        if (nl >= 0) {
            line = line.substring(0, nl);
        }
        return line.length() <= TASK_NAME_CHARS ? line : line.substring(0, TASK_NAME_CHARS) + "…";
    }
}
