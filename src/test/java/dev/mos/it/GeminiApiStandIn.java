package dev.mos.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A scripted stand-in for the Gemini API ({@code generativelanguage.googleapis.com}) on loopback, so real Gemini CLI
 * runs without a Google account: it is what {@code GOOGLE_GEMINI_BASE_URL} points at. A conversation picks its script
 * by a marker {@code [[sc:NAME]]} in a user text part (a subagent's conversation starts with the prompt it was given,
 * so it picks its own); the step is the number of model turns so far. A step answers with {@code functionCall} parts
 * (several = parallel calls) or, past the end, a final text. Every answer reports the same usage, so that a test can
 * check the tokens that reach MOS.
 */
final class GeminiApiStandIn implements AutoCloseable {

    record Call(String name, Map<String, Object> args) {
    }

    record Step(List<Call> calls) {
        static Step of(String name, Map<String, Object> args) {
            return new Step(List.of(new Call(name, args)));
        }
    }

    static final int INPUT_TOKENS = 120;
    static final int OUTPUT_TOKENS = 20;
    static final int CACHED_TOKENS = 30;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern MARKER = Pattern.compile("\\[\\[sc:([A-Za-z0-9_-]+)]]");
    private static final Pattern MODEL = Pattern.compile("/models/([^/:]+):(\\w+)");

    private final HttpServer server;
    private final Map<String, List<Step>> scripts = new LinkedHashMap<>();
    private final Map<String, String> finalTexts = new LinkedHashMap<>();
    final List<String> requestLog = new CopyOnWriteArrayList<>();

    GeminiApiStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "gemini-stand-in");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    GeminiApiStandIn script(String name, String finalText, Step... steps) {
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
            requestLog.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            Matcher m = MODEL.matcher(path);
            if (!m.find()) {
                send(exchange, 404, "application/json", error(404, "stand-in serves /v1beta/models/* only"));
                return;
            }
            String model = m.group(1);
            String method = m.group(2);
            if (method.equals("countTokens")) {
                send(exchange, 200, "application/json", "{\"totalTokens\": " + INPUT_TOKENS + "}");
                return;
            }
            JsonNode request = JSON.readTree(body);
            String script = scriptOf(request);
            int step = 0;
            for (JsonNode c : request.path("contents")) {
                if ("model".equals(c.path("role").asString())) {
                    step++;
                }
            }
            List<Step> steps = script == null || !request.has("tools") ? List.of() : scripts.get(script);
            requestLog.add("  model=" + model + " script=" + script + " step=" + step);
            List<Object> parts = step < steps.size()
                    ? steps.get(step).calls().stream().map(c -> (Object) Map.of("functionCall",
                            Map.of("name", c.name(), "args", c.args()))).toList()
                    : List.of(Map.of("text", script == null ? "ok" : finalTexts.get(script)));
            String response = JSON.writeValueAsString(response(model, parts, script + "-" + step));
            if (method.equals("streamGenerateContent")) {
                send(exchange, 200, "text/event-stream", "data: " + response + "\r\n\r\n");
            } else {
                send(exchange, 200, "application/json", response);
            }
        } catch (RuntimeException e) {
            requestLog.add("  stand-in failed: " + e);
            send(exchange, 500, "application/json", error(500, "stand-in failed"));
        }
    }

    private String scriptOf(JsonNode request) {
        for (JsonNode c : request.path("contents")) {
            if (!"user".equals(c.path("role").asString())) {
                continue;
            }
            for (JsonNode part : c.path("parts")) {
                Matcher matcher = MARKER.matcher(part.path("text").asString(""));
                if (matcher.find() && scripts.containsKey(matcher.group(1))) {
                    return matcher.group(1);
                }
            }
        }
        return null;
    }

    private static Map<String, Object> response(String model, List<Object> parts, String id) {
        Map<String, Object> candidate = new LinkedHashMap<>();
        candidate.put("content", Map.of("role", "model", "parts", parts));
        candidate.put("finishReason", "STOP");
        candidate.put("index", 0);
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("promptTokenCount", INPUT_TOKENS);
        usage.put("candidatesTokenCount", OUTPUT_TOKENS);
        usage.put("cachedContentTokenCount", CACHED_TOKENS);
        usage.put("totalTokenCount", INPUT_TOKENS + OUTPUT_TOKENS);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("candidates", List.of(candidate));
        out.put("usageMetadata", usage);
        out.put("modelVersion", model);
        out.put("responseId", "resp_sc_" + id);
        return out;
    }

    private static String error(int code, String message) {
        return JSON.writeValueAsString(Map.of("error", Map.of("code", code, "message", message,
                "status", code == 404 ? "NOT_FOUND" : "INTERNAL")));
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
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
