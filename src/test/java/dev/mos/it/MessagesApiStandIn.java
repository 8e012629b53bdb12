package dev.mos.it;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/**
 * A scripted stand-in for the Anthropic Messages API on loopback, so real Claude Code runs without a login. A
 * conversation picks its script by a marker {@code [[sc:NAME]]} in its first user message (subagents start their own
 * conversation with the Agent tool's prompt, so they pick their own); the step is the number of assistant turns so
 * far. A step answers with streamed {@code tool_use} blocks (several = parallel calls) or, past the end, a final text.
 */
final class MessagesApiStandIn extends ApiStandIn<MessagesApiStandIn.Step> {

    record ToolCall(String name, Map<String, Object> input) {
    }

    record Step(List<ToolCall> calls) {
        static Step of(String name, Map<String, Object> input) {
            return new Step(List.of(new ToolCall(name, input)));
        }
    }

    private final AtomicInteger ids = new AtomicInteger();

    MessagesApiStandIn() throws IOException {
        super("messages-stand-in");
    }

    MessagesApiStandIn script(String name, String finalText, Step... steps) {
        define(name, finalText, List.of(steps));
        return this;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    String requestIdHeader() {
        return "request-id";
    }

    @Override
    String errorBody() {
        return "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"stand-in failed\"}}";
    }

    @Override
    void handle(HttpExchange exchange) throws IOException {
        byte[] body = body(exchange);
        String path = exchange.getRequestURI().getPath();
        requestLog.add(exchange.getRequestMethod() + " " + path);
        if (path.endsWith("/count_tokens")) {
            send(exchange, 200, "application/json", "{\"input_tokens\": 100}");
            return;
        }
        if (!path.endsWith("/v1/messages")) {
            send(exchange, 404, "application/json", "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\","
                    + "\"message\":\"stand-in serves /v1/messages only\"}}");
            return;
        }
        JsonNode request = JSON.readTree(body);
        String script = scriptOf(request);
        int step = 0;
        for (JsonNode m : request.path("messages")) {
            if ("assistant".equals(m.path("role").asString())) {
                step++;
            }
        }
        List<Step> steps = !request.has("tools") ? List.of() : steps(script);
        requestLog.add("  script=" + script + " step=" + step);
        String model = request.path("model").asString("claude-sonnet-4-5");
        List<String> events = step < steps.size() ? toolUse(model, steps.get(step)) : text(model, finalText(script));
        if (request.path("stream").asBoolean(false)) {
            send(exchange, 200, "text/event-stream", String.join("", events));
        } else {
            send(exchange, 200, "application/json", nonStreamed(model, script == null ? "ok"
                    : step < steps.size() ? "ok" : finalText(script)));
        }
    }

    private String scriptOf(JsonNode request) {
        for (JsonNode m : request.path("messages")) {
            if (!"user".equals(m.path("role").asString())) {
                continue;
            }
            StringBuilder text = new StringBuilder();
            if (m.path("content").isString()) {
                text.append(m.path("content").asString());
            } else {
                for (JsonNode block : m.path("content")) {
                    text.append(block.path("text").asString("")).append('\n');
                }
            }
            return scriptMarkedIn(text, true);
        }
        return null;
    }

    private List<String> toolUse(String model, Step step) {
        List<String> events = new ArrayList<>();
        events.add(sse("message_start", messageStart(model)));
        int index = 0;
        for (ToolCall call : step.calls()) {
            String id = "toolu_sc_" + ids.incrementAndGet();
            events.add(sse("content_block_start", Map.of("type", "content_block_start", "index", index,
                    "content_block", Map.of("type", "tool_use", "id", id, "name", call.name(), "input", Map.of()))));
            events.add(sse("content_block_delta", Map.of("type", "content_block_delta", "index", index,
                    "delta", Map.of("type", "input_json_delta", "partial_json",
                            JSON.writeValueAsString(call.input())))));
            events.add(sse("content_block_stop", Map.of("type", "content_block_stop", "index", index)));
            index++;
        }
        events.add(sse("message_delta", Map.of("type", "message_delta", "delta", stop("tool_use"),
                "usage", Map.of("output_tokens", 20))));
        events.add(sse("message_stop", Map.of("type", "message_stop")));
        return events;
    }

    private List<String> text(String model, String text) {
        List<String> events = new ArrayList<>();
        events.add(sse("message_start", messageStart(model)));
        events.add(sse("content_block_start", Map.of("type", "content_block_start", "index", 0,
                "content_block", Map.of("type", "text", "text", ""))));
        events.add(sse("content_block_delta", Map.of("type", "content_block_delta", "index", 0,
                "delta", Map.of("type", "text_delta", "text", text))));
        events.add(sse("content_block_stop", Map.of("type", "content_block_stop", "index", 0)));
        events.add(sse("message_delta", Map.of("type", "message_delta", "delta", stop("end_turn"),
                "usage", Map.of("output_tokens", 12))));
        events.add(sse("message_stop", Map.of("type", "message_stop")));
        return events;
    }

    private static Map<String, Object> stop(String reason) {
        Map<String, Object> delta = new LinkedHashMap<>();
        delta.put("stop_reason", reason);
        delta.put("stop_sequence", null);
        return delta;
    }

    private Map<String, Object> messageStart(String model) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", "msg_sc_" + ids.incrementAndGet());
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", model);
        message.put("content", List.of());
        message.put("stop_reason", null);
        message.put("stop_sequence", null);
        message.put("usage", Map.of("input_tokens", 120, "output_tokens", 1, "cache_read_input_tokens", 0,
                "cache_creation_input_tokens", 0));
        return Map.of("type", "message_start", "message", message);
    }

    private String nonStreamed(String model, String text) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", "msg_sc_" + ids.incrementAndGet());
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", model);
        message.put("content", List.of(Map.of("type", "text", "text", text)));
        message.put("stop_reason", "end_turn");
        message.put("stop_sequence", null);
        message.put("usage", Map.of("input_tokens", 120, "output_tokens", 12));
        return JSON.writeValueAsString(message);
    }
}
