package dev.mos.it;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A scripted stand-in for the OpenAI Responses API ({@code POST /v1/responses}, streamed as SSE) on loopback, so a
 * real Codex CLI runs through a custom model provider without an account. A conversation picks its script by a
 * marker {@code [[sc:NAME]]} in a user message (a Codex subagent starts its own conversation with the
 * {@code spawn_agent} message, so it picks its own); the step is the number of {@code function_call} items the
 * request's input already holds. A step answers with {@code function_call} items (several = parallel calls) or,
 * past the end, a final assistant message. Every response ends with {@code response.completed} carrying
 * {@link #USAGE}, so token counts are checkable end to end.
 */
final class ResponsesApiStandIn extends ApiStandIn<ResponsesApiStandIn.Step> {

    /** One function call the model makes; {@code namespace} for namespaced tools (Codex's multi-agent tools). */
    record ToolCall(String name, String namespace, Map<String, Object> arguments) {
    }

    record Step(List<ToolCall> calls) {
        static Step of(String name, Map<String, Object> arguments) {
            return new Step(List.of(new ToolCall(name, null, arguments)));
        }

        static Step namespaced(String namespace, String name, Map<String, Object> arguments) {
            return new Step(List.of(new ToolCall(name, namespace, arguments)));
        }
    }

    /** Usage every response reports: input, cached input, output, reasoning output. */
    static final int INPUT_TOKENS = 1200;
    static final int CACHED_TOKENS = 800;
    static final int OUTPUT_TOKENS = 42;
    static final int REASONING_TOKENS = 7;
    static final Map<String, Object> USAGE = Map.of("input_tokens", INPUT_TOKENS,
            "input_tokens_details", Map.of("cached_tokens", CACHED_TOKENS), "output_tokens", OUTPUT_TOKENS,
            "output_tokens_details", Map.of("reasoning_tokens", REASONING_TOKENS),
            "total_tokens", INPUT_TOKENS + OUTPUT_TOKENS);

    /** In a call's arguments: replaced by the agent id the latest {@code spawn_agent} call returned. */
    static final String SPAWNED_AGENT = "{{spawned-agent}}";
    /** spawn_agent's output names the new agent: {@code {"agent_id": "...", "nickname": "..."}}. */
    private static final Pattern AGENT_ID = Pattern.compile("\"agent_id\"\\s*:\\s*\"([^\"]+)\"");

    private final AtomicInteger ids = new AtomicInteger();
    /** Tool names (namespace/name for namespaced ones) offered in the requests, for diagnosing a wrong script. */
    final List<String> offeredTools = new CopyOnWriteArrayList<>();

    ResponsesApiStandIn() throws IOException {
        super("responses-stand-in");
    }

    ResponsesApiStandIn script(String name, String finalText, Step... steps) {
        define(name, finalText, List.of(steps));
        return this;
    }

    @Override
    String requestIdHeader() {
        return "x-request-id";
    }

    @Override
    String errorBody() {
        return "{\"error\":{\"type\":\"server_error\",\"message\":\"stand-in failed\"}}";
    }

    /** The provider's {@code base_url}: Codex appends {@code /responses}. */
    String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    @Override
    void handle(HttpExchange exchange) throws IOException {
        byte[] body = body(exchange);
        String path = exchange.getRequestURI().getPath();
        requestLog.add(exchange.getRequestMethod() + " " + path);
        if (!path.endsWith("/responses") || !"POST".equals(exchange.getRequestMethod())) {
            send(exchange, 404, "application/json", "{\"error\":{\"type\":\"not_found\","
                    + "\"message\":\"stand-in serves POST /v1/responses only\"}}");
            return;
        }
        JsonNode request = JSON.readTree(body);
        if (offeredTools.isEmpty()) {
            for (JsonNode tool : request.path("tools")) {
                if (tool.has("tools")) {
                    tool.path("tools").forEach(t -> offeredTools.add(tool.path("name").asString() + "/"
                            + t.path("name").asString()));
                } else {
                    offeredTools.add(tool.path("name").asString(tool.path("type").asString()));
                }
            }
        }
        String script = scriptOf(request);
        int calls = 0;
        String spawned = null;
        for (JsonNode item : request.path("input")) {
            if ("function_call".equals(item.path("type").asString())) {
                calls++;
            }
            if ("function_call_output".equals(item.path("type").asString())) {
                Matcher m = AGENT_ID.matcher(item.path("output").toString().replace("\\\"", "\""));
                if (m.find()) {
                    spawned = m.group(1);
                }
            }
        }
        List<Step> steps = steps(script);
        int step = stepAt(steps, calls);
        requestLog.add("  script=" + script + " calls=" + calls + " step=" + step);
        String model = request.path("model").asString("gpt-5.1-codex");
        List<String> events = step < steps.size() ? toolCalls(model, steps.get(step), spawned)
                : message(model, finalText(script));
        send(exchange, 200, "text/event-stream", String.join("", events));
    }

    /** The step whose calls are still to be made after {@code calls} calls; past the end once all are made. */
    private static int stepAt(List<Step> steps, int calls) {
        int made = 0;
        for (int i = 0; i < steps.size(); i++) {
            if (made >= calls) {
                return i;
            }
            made += steps.get(i).calls().size();
        }
        return steps.size();
    }

    private String scriptOf(JsonNode request) {
        for (JsonNode item : request.path("input")) {
            if (!"message".equals(item.path("type").asString()) || !"user".equals(item.path("role").asString())) {
                continue;
            }
            StringBuilder text = new StringBuilder();
            for (JsonNode part : item.path("content")) {
                text.append(part.path("text").asString("")).append('\n');
            }
            String found = scriptMarkedIn(text, false);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private List<String> toolCalls(String model, Step step, String spawned) {
        List<String> events = new ArrayList<>();
        String responseId = "resp_sc_" + ids.incrementAndGet();
        events.add(sse("response.created", Map.of("type", "response.created", "response",
                response(responseId, model, "in_progress", null))));
        int index = 0;
        for (ToolCall call : step.calls()) {
            String arguments = JSON.writeValueAsString(call.arguments());
            if (spawned != null) {
                arguments = arguments.replace(SPAWNED_AGENT, spawned);
            }
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("type", "function_call");
            item.put("id", "fc_sc_" + ids.incrementAndGet());
            item.put("call_id", "call_sc_" + ids.incrementAndGet());
            item.put("name", call.name());
            if (call.namespace() != null) {
                item.put("namespace", call.namespace());
            }
            item.put("arguments", arguments);
            item.put("status", "completed");
            events.add(sse("response.output_item.added", Map.of("type", "response.output_item.added",
                    "output_index", index, "item", item)));
            events.add(sse("response.output_item.done", Map.of("type", "response.output_item.done",
                    "output_index", index, "item", item)));
            index++;
        }
        events.add(sse("response.completed", Map.of("type", "response.completed", "response",
                response(responseId, model, "completed", USAGE))));
        return events;
    }

    private List<String> message(String model, String text) {
        List<String> events = new ArrayList<>();
        String responseId = "resp_sc_" + ids.incrementAndGet();
        events.add(sse("response.created", Map.of("type", "response.created", "response",
                response(responseId, model, "in_progress", null))));
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("type", "message");
        item.put("id", "msg_sc_" + ids.incrementAndGet());
        item.put("role", "assistant");
        item.put("status", "completed");
        item.put("content", List.of(Map.of("type", "output_text", "text", text, "annotations", List.of())));
        events.add(sse("response.output_item.added", Map.of("type", "response.output_item.added",
                "output_index", 0, "item", item)));
        events.add(sse("response.output_text.delta", Map.of("type", "response.output_text.delta",
                "output_index", 0, "content_index", 0, "item_id", item.get("id"), "delta", text)));
        events.add(sse("response.output_item.done", Map.of("type", "response.output_item.done",
                "output_index", 0, "item", item)));
        events.add(sse("response.completed", Map.of("type", "response.completed", "response",
                response(responseId, model, "completed", USAGE))));
        return events;
    }

    private static Map<String, Object> response(String id, String model, String status, Map<String, Object> usage) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("id", id);
        response.put("object", "response");
        response.put("model", model);
        response.put("status", status);
        response.put("output", List.of());
        response.put("usage", usage);
        return response;
    }
}
