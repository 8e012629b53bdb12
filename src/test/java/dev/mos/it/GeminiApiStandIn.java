package dev.mos.it;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A scripted stand-in for the Gemini API ({@code generativelanguage.googleapis.com}) on loopback, so real Gemini CLI
 * runs without a Google account: it is what {@code GOOGLE_GEMINI_BASE_URL} points at. A conversation picks its script
 * by a marker {@code [[sc:NAME]]} in a user text part (a subagent's conversation starts with the prompt it was given,
 * so it picks its own); the step is the number of model turns so far. A step answers with {@code functionCall} parts
 * (several = parallel calls) or, past the end, a final text. Every answer reports the same usage, so that a test can
 * check the tokens that reach MOS.
 */
final class GeminiApiStandIn extends ApiStandIn<GeminiApiStandIn.Step> {

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

    private static final Pattern MODEL = Pattern.compile("/models/([^/:]+):(\\w+)");

    GeminiApiStandIn() throws IOException {
        super("gemini-stand-in");
    }

    GeminiApiStandIn script(String name, String finalText, Step... steps) {
        define(name, finalText, List.of(steps));
        return this;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    String errorBody() {
        return error(500, "stand-in failed");
    }

    @Override
    void handle(HttpExchange exchange) throws IOException {
        byte[] body = body(exchange);
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
        List<Step> steps = !request.has("tools") ? List.of() : steps(script);
        requestLog.add("  model=" + model + " script=" + script + " step=" + step);
        List<Object> parts = step < steps.size()
                ? steps.get(step).calls().stream().map(c -> (Object) Map.of("functionCall",
                        Map.of("name", c.name(), "args", c.args()))).toList()
                : List.of(Map.of("text", finalText(script)));
        String response = JSON.writeValueAsString(response(model, parts, script + "-" + step));
        if (method.equals("streamGenerateContent")) {
            send(exchange, 200, "text/event-stream", "data: " + response + "\r\n\r\n");
        } else {
            send(exchange, 200, "application/json", response);
        }
    }

    private String scriptOf(JsonNode request) {
        for (JsonNode c : request.path("contents")) {
            if (!"user".equals(c.path("role").asString())) {
                continue;
            }
            for (JsonNode part : c.path("parts")) {
                String found = scriptMarkedIn(part.path("text").asString(""), false);
                if (found != null) {
                    return found;
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
}
