package dev.mos.http;

import dev.mos.mcp.ProgressSink;
import dev.mos.mcp.ToolInvoker;
import dev.mos.mcp.ToolResult;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code DELETE /api/v1/sessions/{id}}: the admin form of the delete_session tool (same path through the tool
 * invoker, so the same checks, metrics and breaker). A filter in front of the read-only REST API, which answers
 * every other method. Guarded by the bearer token like everything but health.
 */
final class SessionDeleteFilter extends HttpFilter {

    private static final String PREFIX = "/api/v1/sessions/";

    private final ToolInvoker invoker;
    private final JsonResponses json;

    SessionDeleteFilter(ToolInvoker invoker, JsonResponses json) {
        this.invoker = invoker;
        this.json = json;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!"DELETE".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        String uri = request.getRequestURI();
        String rest = uri.startsWith(PREFIX) ? uri.substring(PREFIX.length()) : "";
        if (rest.isEmpty() || rest.contains("/")) {
            json.error(response, 400, "expected DELETE /api/v1/sessions/{session_id}");
            return;
        }
        String sessionId = URLDecoder.decode(rest, StandardCharsets.UTF_8);
        ToolResult result = invoker.invoke("delete_session", Map.of("session_id", sessionId), ProgressSink.NONE,
                RequestActor.of(request));
        if (result.retryable()) {
            response.setHeader("Retry-After", "5");
            json.error(response, 503, result.text());
        } else if (result.isError()) {
            json.error(response, result.text().contains("not found") ? 404 : 400, result.text());
        } else {
            json.write(response, 200, result.structured());
        }
    }
}
