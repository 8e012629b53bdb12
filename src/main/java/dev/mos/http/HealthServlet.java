package dev.mos.http;

import dev.mos.health.HealthMonitor;
import dev.mos.health.Lifecycle;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * /health: the health document, 200 while the server can serve (healthy or warning), 503 while starting,
 * draining or critical. /health/live: 200 while the process runs. /health/ready: 200 only while serving.
 */
final class HealthServlet extends HttpServlet {

    private final HealthMonitor health;
    private final Lifecycle lifecycle;
    private final JsonResponses json;

    HealthServlet(HealthMonitor health, Lifecycle lifecycle, JsonResponses json) {
        this.health = health;
        this.lifecycle = lifecycle;
        this.json = json;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        String path = request.getRequestURI();
        switch (path) {
            case "/health/live" -> json.write(response, 200, Map.of("status", "alive",
                    "lifecycle", lifecycle.state().name().toLowerCase(java.util.Locale.ROOT)));
            case "/health/ready" -> {
                // A replica whose store is down must leave the load balancer: it could not store anything.
                java.util.Optional<String> storeProblem = health.storeProblem();
                // the same rule as HealthMonitor.ready(), with the store asked once (it may wait during an outage)
                boolean ready = lifecycle.isServing() && storeProblem.isEmpty();
                Map<String, Object> body = new java.util.LinkedHashMap<>();
                body.put("status", ready ? "ready" : "not_ready");
                body.put("lifecycle", lifecycle.state().name().toLowerCase(java.util.Locale.ROOT));
                storeProblem.ifPresent(p -> body.put("reason", "storage unavailable: " + p));
                json.write(response, ready ? 200 : 503, body);
            }
            case "/health" -> {
                boolean detailed = "true".equalsIgnoreCase(request.getParameter("detailed"));
                Map<String, Object> report = health.report(detailed);
                boolean serving = lifecycle.isServing() && !"critical".equals(report.get("status"));
                json.write(response, serving ? 200 : 503, report);
            }
            default -> json.error(response, 404, "no such health endpoint: " + path
                    + " (try /health, /health/live, /health/ready)");
        }
    }
}
