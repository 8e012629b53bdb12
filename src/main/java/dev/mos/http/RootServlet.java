package dev.mos.http;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** "/" is the web dashboard for browsers (Accept: text/html); for anything else it says what this server is and where its endpoints are; anything else unknown is a JSON 404. */
final class RootServlet extends HttpServlet {

    private final JsonResponses json;

    RootServlet(JsonResponses json) {
        this.json = json;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"/".equals(request.getRequestURI())) {
            json.error(response, 404, "no such endpoint: " + request.getMethod() + " " + request.getRequestURI());
            return;
        }
        if (wantsHtml(request)) {
            DashboardServlet.serve(DashboardServlet.INDEX, response, json);
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "MOS - MCP Observability Server");
        body.put("endpoints", List.of("POST/GET/DELETE /mcp (MCP Streamable HTTP; or {\"method\": tool, \"params\": {}})",
                "POST /hooks (Claude Code hook payloads)",
                "POST /v1/logs, /v1/metrics, /v1/traces (OTLP/HTTP, protobuf or JSON)",
                "GET /health", "GET /health/live", "GET /health/ready", "GET /metrics",
                "GET /api/v1/sessions (REST, see README)", "GET /api/v1/stream (Server-Sent Events)",
                "GET / with Accept: text/html (web dashboard)"));
        json.write(response, 200, body);
    }

    /** Browsers ask for text/html first; API clients and curl do not. */
    static boolean wantsHtml(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        return accept != null && accept.contains("text/html");
    }
}
