package dev.mos.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;

/** Times every HTTP request by method, route and status (http.server.requests). */
final class RequestMetricsFilter extends HttpFilter {

    private static final Set<String> ROUTES = Set.of("/mcp", "/health", "/health/live", "/health/ready", "/metrics");

    private final MeterRegistry registry;

    RequestMetricsFilter(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long started = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            String uri = request.getRequestURI();
            Timer.builder("http.server.requests").description("HTTP requests by method, route and status")
                    .tag("method", request.getMethod())
                    .tag("uri", ROUTES.contains(uri) ? uri : "other")
                    .tag("status", Integer.toString(response.getStatus()))
                    .register(registry).record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }
}
