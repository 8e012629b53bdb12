package dev.mos.ingest.otlp;

import dev.mos.ingest.EventRejectedException;
import dev.mos.ingest.TokenCounts;
import dev.mos.model.EventStatus;
import dev.mos.model.EventType;
import dev.mos.model.NewEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Gemini CLI's OpenTelemetry log events ({@code gemini_cli.*}, as 0.61.0 sends them; see docs/agents/gemini-cli.md)
 * into events of the MOS model. Every event carries {@code "agent": "gemini-cli"} in its details: its events
 * builder is Gemini CLI's ({@code new OtlpEvents(json, CodingAgent.GEMINI_CLI)}).
 *
 * <ul>
 * <li>{@code gemini_cli.user_prompt} opens the prompt's task {@code prompt:<prompt_id>}. Gemini logs no "turn ended"
 * event: the task is closed by the main loop's last {@code api_response} (one whose response asked for no function
 * call, which the record shows only when prompts are logged), else by the session's next prompt,
 * {@code conversation_finished} or, in a non-interactive run, the shutdown's {@code plan.approval_mode_duration},
 * at the open prompt's last logged activity.
 * <li>{@code gemini_cli.tool_call} is logged once, when the call is over, with its duration: it becomes one tool
 * operation (start derived from the duration). {@code tool_type} {@code mcp} makes it an MCP operation with
 * {@code mcp_server} and {@code mcp_tool}. A call Gemini counts as a success but whose result says
 * {@code isError} (a shell command's non-zero exit) is failed, with the exit code as its error.
 * <li>{@code gemini_cli.api_response} / {@code api_error} are one LLM operation each, with model and tokens; Gemini
 * reports no cost, so none is invented. {@code api_request} repeats what the response tells and is not stored.
 * <li>{@code gemini_cli.agent.start} / {@code agent.finish} are a subagent {@code agent:<agent_id>} under the open
 * prompt; the subagent's own records carry {@code prompt_id} {@code <agent_id>#<turn>} and nest under it. The
 * {@code invoke_agent} call that ran it (logged after the run) adds its arguments to it instead of being a second
 * operation.
 * </ul>
 * Other records that name a prompt become points on its task or subagent; startup and configuration records are not
 * stored.
 */
public final class GeminiCliOtelMapper {

    /** The value of the {@code agent} details key on everything this mapper makes. */
    public static final String AGENT = dev.mos.model.CodingAgent.GEMINI_CLI;
    private static final String PREFIX = "gemini_cli.";
    private static final String AGENT_TOOL = "invoke_agent";

    private final OtlpAttributes attributes;
    private final OtlpEvents events;
    private final GeminiCliJoins joins;
    private final JsonMapper json;

    public GeminiCliOtelMapper(OtlpAttributes attributes, OtlpEvents events, GeminiCliJoins joins, JsonMapper json) {
        this.attributes = attributes;
        this.events = events;
        this.joins = joins;
        this.json = json;
    }

    /**
     * Whether a log record or metric point is Gemini CLI's: its name has Gemini's prefix, or it is a GenAI record
     * with Gemini's {@code installation.id} common attribute (the resource's {@code service.name} is not kept by
     * the decoders).
     */
    public static boolean sentBy(String name, Map<String, Object> attributes) {
        return name != null && (name.startsWith(PREFIX)
                || name.startsWith("gen_ai.") && attributes.containsKey("installation.id"));
    }

    /**
     * Gemini CLI's spans say {@code gen_ai.agent.name} {@code gemini-cli}; its logs already tell all they do. A span
     * MOS exported ({@code mos.operation.id}) is never one, whatever its agent is called.
     */
    public static boolean sentBy(OtlpSpan span) {
        return AGENT.equals(span.attributes().get("gen_ai.agent.name"))
                && !span.attributes().containsKey("mos.operation.id");
    }

    /** Events for one record of Gemini CLI; empty for records that describe no work. */
    public List<NewEvent> map(OtlpLogRecord record) {
        Map<String, Object> a = record.attributes();
        String event = OtlpAttributes.text(a.get("event.name"));
        if (event == null || !event.startsWith(PREFIX)) {
            return List.of(); // gen_ai.client.inference.operation.details repeats api_request / api_response
        }
        String name = event.substring(PREFIX.length());
        String sessionId = OtlpAttributes.text(a.get("session.id"));
        if (sessionId == null || sessionId.isBlank()) {
            throw new EventRejectedException("session.id", "attribute is required on Gemini CLI log events");
        }
        long at = record.timeMs() > 0 ? record.timeMs() : System.currentTimeMillis();
        String promptId = OtlpAttributes.text(a.get("prompt_id"));
        String parent = parentOf(promptId);
        Long duration = OtlpAttributes.number(a.get("duration_ms"));
        List<NewEvent> out = new ArrayList<>(2);
        if (promptId != null && !name.equals("user_prompt")) {
            joins.activity(sessionId, at);
        }
        switch (name) {
            case "user_prompt" -> userPrompt(sessionId, promptId, at, a, out);
            case "api_response", "api_error" -> {
                boolean ok = name.equals("api_response");
                String model = OtlpAttributes.text(a.get(ok ? "model" : "model_name"));
                model = model != null ? model : OtlpAttributes.text(a.get("model"));
                Map<String, Object> details = details(model, a);
                details.remove("request_text");
                if (ok) {
                    putTokens(details, a);
                }
                String correlation = "llm:" + (promptId != null ? promptId : sessionId) + ":" + at;
                long start = at - (duration == null ? 0 : duration);
                out.add(events.event(sessionId, EventType.LLM_REQUEST, null, start, null, parent, correlation,
                        model == null ? "LLM call" : model, base(model)));
                out.add(events.event(sessionId, ok ? EventType.LLM_RESPONSE : EventType.LLM_ERROR, null, at,
                        duration, parent, correlation, model == null ? "LLM call" : model, details));
                if (ok && isMainLoop(a, promptId) && isFinalAnswer(a) && close(sessionId, promptId)) {
                    Map<String, Object> closed = base(null);
                    closed.put("closed_by", "final_response");
                    out.add(events.event(sessionId, EventType.TASK_COMPLETE, null, at, null, null,
                            "prompt:" + promptId, null, closed));
                }
            }
            case "tool_call" -> toolCall(sessionId, promptId, parent, at, duration, a, out);
            case "agent.start" -> {
                String agentId = agentId(a);
                String agentName = OtlpAttributes.text(a.get("agent_name"));
                String open = joins.openPrompt(sessionId);
                Map<String, Object> details = details(agentName, a);
                details.put("subagent_type", agentName);
                out.add(events.event(sessionId, EventType.SUBAGENT_SPAWN, null, at, null,
                        open == null ? null : "prompt:" + open, "agent:" + agentId, agentName, details));
            }
            case "agent.finish" -> {
                String agentId = agentId(a);
                String agentName = OtlpAttributes.text(a.get("agent_name"));
                String reason = OtlpAttributes.text(a.get("terminate_reason"));
                Map<String, Object> details = details(agentName, a);
                boolean ok = reason == null || reason.equalsIgnoreCase("GOAL");
                if (!ok) {
                    details.put("error", "subagent ended: " + reason);
                }
                joins.agentFinished(sessionId, agentId);
                out.add(events.event(sessionId, ok ? EventType.SUBAGENT_COMPLETE : EventType.SUBAGENT_FAILED, null,
                        at, duration, null, "agent:" + agentId, agentName, details));
            }
            case "conversation_finished" -> closeOpen(sessionId, "conversation_finished", out);
            case "plan.approval_mode_duration" -> {
                // logged when the CLI shuts down (and when the approval mode changes, which without a UI only a
                // plan-mode tool does): in a non-interactive run it ends the one prompt left open
                if (Boolean.FALSE.equals(a.get("interactive"))) {
                    closeOpen(sessionId, "session_end", out);
                }
            }
            default -> {
                if (parent != null) {
                    // tool_output_truncated, chat_compression, ...: a point on the operation they belong to
                    out.add(events.event(sessionId, EventType.TASK_PROGRESS, EventStatus.SUCCESS, at, null, null,
                            parent, name, details(name, a)));
                }
                // records naming no prompt (config, startup_stats, model_routing, ...) describe the CLI, not work
            }
        }
        return out;
    }

    private void userPrompt(String sessionId, String promptId, long at, Map<String, Object> a,
            List<NewEvent> out) {
        if (promptId == null) {
            throw new EventRejectedException("prompt_id", "attribute is required on gemini_cli.user_prompt");
        }
        long previousEnd = joins.lastActivity(sessionId);
        String previous = joins.open(sessionId, promptId, at);
        if (previous != null && close(sessionId, previous)) {
            Map<String, Object> closed = base(null);
            closed.put("closed_by", "next_prompt");
            out.add(events.event(sessionId, EventType.TASK_COMPLETE, null, previousEnd, null, null,
                    "prompt:" + previous, null, closed));
        }
        String prompt = OtlpAttributes.text(a.get("prompt"));
        String title = prompt == null || prompt.isBlank() ? "Prompt" : attributes.firstLine(prompt);
        out.add(events.event(sessionId, EventType.TASK_STARTED, null, at, null, null, "prompt:" + promptId, title,
                details(title, a)));
    }

    private void toolCall(String sessionId, String promptId, String parent, long at, Long duration,
            Map<String, Object> a, List<NewEvent> out) {
        String tool = OtlpAttributes.text(a.get("function_name"));
        boolean ok = Boolean.TRUE.equals(a.get("success")) || "true".equalsIgnoreCase(String.valueOf(a.get("success")));
        Map<String, Object> details = details(tool, a);
        Object args = details.remove("function_args");
        if (args != null) {
            details.put("arguments", args);
        }
        JsonNode metadata = parse(OtlpAttributes.text(a.get("metadata")));
        if (AGENT_TOOL.equals(tool)) {
            String agentId = joins.claimAgent(sessionId, text(metadata.path("agentId")));
            if (agentId != null) {
                // the subagent run is the operation: the call that ran it only adds what it was asked
                out.add(events.event(sessionId, EventType.TASK_PROGRESS, EventStatus.SUCCESS, at, null, null,
                        "agent:" + agentId, tool, details));
                if (!ok) {
                    details.putIfAbsent("error", "invoke_agent failed");
                    out.add(events.event(sessionId, EventType.SUBAGENT_FAILED, null, at, duration, null,
                            "agent:" + agentId, tool, details));
                }
                return;
            }
        }
        if (ok && metadata.path("isError").asBoolean(false)) {
            JsonNode exit = metadata.path("exitCode");
            boolean code = exit.isNumber() && exit.canConvertToLong();
            details.put("error", code ? "exit code " + exit.asLong() : "the tool reported an error");
            if (code) {
                details.put("exit_code", exit.asLong());
            }
            ok = false;
        }
        if (!ok) {
            Object decision = a.get("decision");
            details.putIfAbsent("error", "reject".equals(decision) ? "tool call rejected" : "tool call failed");
        }
        boolean mcp = "mcp".equals(a.get("tool_type"));
        String server = OtlpAttributes.text(a.get("mcp_server_name"));
        if (mcp && server != null) {
            details.put("mcp_server", server);
            String qualified = "mcp_" + server + "_";
            details.put("mcp_tool", tool != null && tool.startsWith(qualified) ? tool.substring(qualified.length())
                    : tool);
        }
        EventType start = mcp ? EventType.MCP_REQUEST : EventType.TOOL_PRE_CALL;
        EventType end = mcp ? (ok ? EventType.MCP_RESPONSE : EventType.MCP_ERROR)
                : ok ? EventType.TOOL_POST_CALL : EventType.TOOL_ERROR;
        // logs name no call id: the prompt, tool, end time and arguments tell calls apart (a re-sent record
        // maps onto the same operation)
        String correlation = "tool:" + (promptId != null ? promptId : sessionId) + ":" + tool + ":" + at
                + (args == null ? "" : ":" + Integer.toHexString(String.valueOf(args).hashCode()));
        long begin = at - (duration == null ? 0 : duration);
        Map<String, Object> startDetails = base(tool);
        if (mcp && server != null && tool != null) {
            startDetails.put("mcp_server", server);
            startDetails.put("mcp_tool", details.get("mcp_tool"));
        }
        out.add(events.event(sessionId, start, null, begin, null, parent, correlation, tool, startDetails));
        out.add(events.event(sessionId, end, null, at, duration, parent, correlation, tool, details));
    }

    private static String agentId(Map<String, Object> a) {
        String id = OtlpAttributes.text(a.get("agent_id"));
        if (id == null || id.isBlank()) {
            throw new EventRejectedException("agent_id", "attribute is required on gemini_cli.agent.* events");
        }
        return id;
    }

    /** The task or subagent a record with this prompt id belongs to. */
    private static String parentOf(String promptId) {
        if (promptId == null) {
            return null;
        }
        int hash = promptId.indexOf('#');
        return hash > 0 ? "agent:" + promptId.substring(0, hash) : "prompt:" + promptId;
    }

    private static boolean isMainLoop(Map<String, Object> a, String promptId) {
        Object role = a.get("role");
        return promptId != null && promptId.indexOf('#') < 0 && (role == null || "main".equals(role));
    }

    /**
     * The response asked for no function call. {@code response_text} is the response's JSON, logged only with
     * {@code logPrompts}; an unescaped {@code "functionCall":} can only be a key there (in a text part it would be
     * escaped). Without it the turn's end is not known here.
     */
    private static boolean isFinalAnswer(Map<String, Object> a) {
        String response = OtlpAttributes.text(a.get("response_text"));
        return response != null && !response.isEmpty() && !response.contains("\"functionCall\":");
    }

    private boolean close(String sessionId, String promptId) {
        return promptId != null && joins.close(sessionId, promptId);
    }

    private void closeOpen(String sessionId, String by, List<NewEvent> out) {
        String open = joins.openPrompt(sessionId);
        long last = joins.lastActivity(sessionId);
        if (open != null && close(sessionId, open)) {
            Map<String, Object> closed = base(null);
            closed.put("closed_by", by);
            out.add(events.event(sessionId, EventType.TASK_COMPLETE, null, last, null, null, "prompt:" + open, null,
                    closed));
        }
    }

    private static void putTokens(Map<String, Object> details, Map<String, Object> a) {
        putNumber(details, "input_tokens", a.get("input_token_count"));
        putNumber(details, "output_tokens", a.get("output_token_count"));
        putNumber(details, "cache_read_tokens", a.get("cached_content_token_count"));
        putNumber(details, "thoughts_tokens", a.get("thoughts_token_count"));
        putNumber(details, "tool_tokens", a.get("tool_token_count"));
        putNumber(details, "total_tokens", a.get("total_token_count"));
        TokenCounts.withoutCachedInput(details); // Gemini counts the cached prompt inside its input count
    }

    private static void putNumber(Map<String, Object> details, String key, Object value) {
        Long n = OtlpAttributes.number(value);
        if (n != null) {
            details.put(key, n);
        }
    }

    private Map<String, Object> details(String name, Map<String, Object> a) {
        Map<String, Object> d = attributes.details(name, "otel", a);
        return d;
    }

    private static Map<String, Object> base(String name) {
        Map<String, Object> d = new java.util.LinkedHashMap<>();
        if (name != null) {
            d.put("name", name);
        }
        d.put("source", "otel");
        return d;
    }

    private JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return json.missingNode();
        }
        try {
            return json.readTree(text);
        } catch (JacksonException e) {
            return json.missingNode(); // metadata is informative only
        }
    }

    private static String text(JsonNode node) {
        return node.isString() && !node.asString().isBlank() ? node.asString() : null;
    }
}
