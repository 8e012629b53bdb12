package dev.mos.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A scripted stand-in for the Anthropic Messages API on loopback, so real Claude Code runs without a login. A
 * conversation picks its script by a marker {@code [[sc:NAME]]} in its first user message (subagents start their own
 * conversation with the Agent tool's prompt, so they pick their own); the step is the number of assistant turns so
 * far. A step answers with streamed {@code tool_use} blocks (several = parallel calls) or, past the end, a final text.
 */
final class MessagesApiStandIn implements AutoCloseable {

    record ToolCall(String name, Map<String, Object> input) {
    }

    record Step(List<ToolCall> calls) {
        static Step of(String name, Map<String, Object> input) {
            return new Step(List.of(new ToolCall(name, input)));
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern MARKER = Pattern.compile("\\[\\[sc:([A-Za-z0-9_-]+)]]");

    private final HttpServer server;
    private final Map<String, List<Step>> scripts = new LinkedHashMap<>();
    private final Map<String, String> finalTexts = new LinkedHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    final List<String> requestLog = new CopyOnWriteArrayList<>();

    MessagesApiStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "messages-stand-in");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    MessagesApiStandIn script(String name, String finalText, Step... steps) {
        scripts.put(name, List.of(steps));
        finalTexts.put(name, finalText);
        return this;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
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
            List<Step> steps = script == null || !request.has("tools") ? List.of() : scripts.get(script);
            requestLog.add("  script=" + script + " step=" + step);
            String model = request.path("model").asString("claude-sonnet-4-5");
            List<String> events = step < steps.size() ? toolUse(model, steps.get(step))
                    : text(model, script == null ? "ok" : finalTexts.get(script));
            if (request.path("stream").asBoolean(false)) {
                send(exchange, 200, "text/event-stream", String.join("", events));
            } else {
                send(exchange, 200, "application/json", nonStreamed(model, script == null ? "ok"
                        : step < steps.size() ? "ok" : finalTexts.get(script)));
            }
        } catch (RuntimeException e) {
            requestLog.add("  stand-in failed: " + e);
            send(exchange, 500, "application/json", "{\"type\":\"error\",\"error\":{\"type\":\"api_error\","
                    + "\"message\":\"stand-in failed\"}}");
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
            Matcher matcher = MARKER.matcher(text);
            String found = null;
            while (matcher.find()) {
                found = matcher.group(1);
            }
            return found != null && scripts.containsKey(found) ? found : null;
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

    private static String sse(String event, Object data) {
        return "event: " + event + "\ndata: " + JSON.writeValueAsString(data) + "\n\n";
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("request-id", "req_sc_" + System.nanoTime());
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
