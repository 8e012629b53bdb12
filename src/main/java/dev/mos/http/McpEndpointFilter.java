package dev.mos.http;

import dev.mos.auth.Caller;
import dev.mos.auth.Scope;
import dev.mos.auth.ScopeRules;
import dev.mos.mcp.ProgressSink;
import dev.mos.mcp.ToolInvoker;
import dev.mos.mcp.ToolResult;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityException;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityValidator;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * In front of the SDK's /mcp servlet: bounds request bodies (413), serves the seed's plain
 * {"method": tool, "params": {...}} form as a direct tool call (validating Origin the same way the SDK does),
 * passes real JSON-RPC through untouched, and strips stack traces from the SDK's error bodies.
 */
final class McpEndpointFilter extends HttpFilter {

    private final ToolInvoker invoker;
    private final ServerTransportSecurityValidator security;
    private final long maxBodyBytes;
    private final JsonResponses json;

    McpEndpointFilter(ToolInvoker invoker, ServerTransportSecurityValidator security, long maxBodyBytes,
            JsonResponses json) {
        this.invoker = invoker;
        this.security = security;
        this.maxBodyBytes = maxBodyBytes;
        this.json = json;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest forward = request;
        if ("POST".equals(request.getMethod())) {
            byte[] body;
            try {
                body = RequestBody.read(request, response, maxBodyBytes, false);
            } catch (RequestBody.TooLarge e) {
                json.error(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                        "request body exceeds server.maxRequestBytes (" + maxBodyBytes + " bytes)");
                return;
            }
            Caller caller = (Caller) request.getAttribute(Caller.ATTRIBUTE);
            if (caller != null && !caller.scopes().containsAll(Scope.ALL)) {
                String refused = toolScopeRefusal(body, caller, response);
                if (refused != null) {
                    return;
                }
            }
            JsonNode parsed = parseObject(body);
            if (parsed != null && !parsed.has("jsonrpc") && parsed.has("method")) {
                directCall(request, response, parsed);
                return;
            }
            forward = new CachedBodyRequest(request, body);
        }
        ErrorBodySanitizer sanitizer = new ErrorBodySanitizer(response);
        chain.doFilter(forward, sanitizer);
        sanitizer.finish(json.mapper());
    }

    /**
     * A token without every scope may call only the tools its scopes allow: each tools/call (or seed-style direct
     * call) in the body is checked against {@link ScopeRules#forTool}. Answers 403 and returns non-null when one
     * is not allowed.
     */
    private String toolScopeRefusal(byte[] body, Caller caller, HttpServletResponse response) throws IOException {
        JsonNode root;
        try {
            root = json.mapper().readTree(body);
        } catch (JacksonException e) {
            return null; // the SDK answers malformed JSON-RPC itself; nothing is called
        }
        List<JsonNode> messages = new ArrayList<>();
        if (root != null && root.isArray()) {
            root.forEach(messages::add);
        } else if (root != null) {
            messages.add(root);
        }
        for (JsonNode message : messages) {
            String tool = toolCalled(message);
            if (tool != null && !caller.may(ScopeRules.forTool(tool))) {
                BearerTokenFilter.forbid(response, caller, ScopeRules.forTool(tool), "the " + tool + " tool", json);
                return tool;
            }
        }
        return null;
    }

    private static String toolCalled(JsonNode message) {
        if (message == null || !message.isObject() || !message.path("method").isString()) {
            return null;
        }
        String method = message.get("method").stringValue();
        if (!message.has("jsonrpc")) {
            return method; // the seed's direct form: the method is the tool
        }
        if ("tools/call".equals(method)) {
            JsonNode name = message.path("params").path("name");
            return name.isString() ? name.stringValue() : "";
        }
        return null;
    }

    private JsonNode parseObject(byte[] body) {
        try {
            JsonNode node = json.mapper().readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (JacksonException e) {
            return null; // not ours to judge: the SDK answers malformed JSON-RPC itself
        }
    }

    @SuppressWarnings("unchecked")
    private void directCall(HttpServletRequest request, HttpServletResponse response, JsonNode call)
            throws IOException {
        try {
            security.validateHeaders(headers(request));
        } catch (ServerTransportSecurityException e) {
            json.error(response, e.getStatusCode(), e.getMessage());
            return;
        }
        JsonNode method = call.get("method");
        if (!method.isString()) {
            json.error(response, HttpServletResponse.SC_BAD_REQUEST, "method must be a tool name (a string)");
            return;
        }
        JsonNode params = call.get("params");
        if (params != null && !params.isNull() && !params.isObject()) {
            json.error(response, HttpServletResponse.SC_BAD_REQUEST, "params must be an object");
            return;
        }
        Map<String, Object> arguments = params == null || params.isNull() ? Map.of()
                : json.mapper().convertValue(params, Map.class);
        String tool = method.stringValue();
        boolean known = invoker.tools().stream().anyMatch(t -> t.name().equals(tool));
        ToolResult result = invoker.invoke(tool, arguments, ProgressSink.NONE, RequestActor.of(request));
        if (result.retryable()) {
            response.setHeader("Retry-After", "5");
            json.error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, result.text());
        } else if (result.isError()) {
            json.error(response, known ? HttpServletResponse.SC_BAD_REQUEST : HttpServletResponse.SC_NOT_FOUND,
                    result.text());
        } else {
            json.write(response, HttpServletResponse.SC_OK, result.structured());
        }
    }

    private static Map<String, List<String>> headers(HttpServletRequest request) {
        Map<String, List<String>> headers = new HashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name, Collections.list(request.getHeaders(name)));
        }
        return headers;
    }
}
