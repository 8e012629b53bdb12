package dev.mos.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Times every HTTP request by method, route template and status (http.server.requests), with a fixed set of
 * histogram buckets so that dashboards can show percentiles per route. The uri label is always one of a fixed set
 * of templates ({@link #route}): a session id or a mistyped path never becomes a new series.
 */
final class RequestMetricsFilter extends HttpFilter {

    private static final Set<String> FIXED = Set.of("/mcp", "/health", "/health/live", "/health/ready", "/metrics",
            "/hooks", "/v1/logs", "/v1/metrics", "/v1/traces", "/api/v1/sessions", "/api/v1/stream",
            "/api/v1/analytics/tools", "/api/v1/audit", "/auth/login", "/auth/logout", "/auth/session", "/");
    private static final Set<String> SESSION_PARTS = Set.of("tree", "events", "export", "analytics", "stream");
    /** Few enough to keep series per route small, spread enough for the 1 s response-time limit and SSE streams. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};
    private static final Set<String> METHODS = Set.of("GET", "POST", "DELETE", "HEAD", "OPTIONS", "PUT", "PATCH");

    private static final String TIMING = RequestMetricsFilter.class.getName() + ".timing";

    private final MeterRegistry registry;
    /**
     * The timers by their labels: building a timer (its tags merged and sorted, then looked up in the registry) on
     * every request took a fifth of the thread that answers POST /hooks (JFR, under wrk). Bounded by the fixed
     * methods, routes and the status codes answered.
     */
    private final ConcurrentMap<Labels, Timer> timers = new ConcurrentHashMap<>();

    private record Labels(String method, String route, int status) {
    }

    RequestMetricsFilter(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Timing timing = new Timing(request, response, System.nanoTime());
        request.setAttribute(TIMING, timing);
        try {
            chain.doFilter(request, response);
        } finally {
            if (!request.isAsyncStarted()) {
                timing.record();
            }
        }
    }

    /**
     * For a servlet that answers asynchronously (POST /hooks), right after {@code startAsync}: the request is timed
     * until its answer completes. Registered before anything can complete it, so no completion is missed; a
     * completion the filter also sees is recorded once.
     */
    static void timeUntilComplete(HttpServletRequest request, AsyncContext async) {
        if (request.getAttribute(TIMING) instanceof Timing timing) {
            async.addListener(timing);
        }
    }

    /** One request's clock; records its timer once, when the request is answered. */
    private final class Timing implements AsyncListener {
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final long started;
        private final AtomicBoolean recorded = new AtomicBoolean();

        Timing(HttpServletRequest request, HttpServletResponse response, long started) {
            this.request = request;
            this.response = response;
            this.started = started;
        }

        void record() {
            if (recorded.compareAndSet(false, true)) {
                RequestMetricsFilter.this.record(request, response, started);
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
            record();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
        }

        @Override
        public void onError(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }

    private void record(HttpServletRequest request, HttpServletResponse response, long started) {
        String method = request.getMethod();
        Labels labels = new Labels(METHODS.contains(method) ? method : "other", route(request.getRequestURI()),
                response.getStatus());
        timers.computeIfAbsent(labels, this::timer).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    private Timer timer(Labels labels) {
        return Timer.builder("http.server.requests").description("HTTP requests by method, route template and status")
                .tag("method", labels.method())
                .tag("uri", labels.route())
                .tag("status", Integer.toString(labels.status()))
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    /**
     * The route template of a path: the fixed routes as they are, {@code /api/v1/sessions/{id}} and
     * {@code /api/v1/sessions/{id}/tree|events|export|analytics|stream}, {@code /ui/**} for the dashboard's files,
     * and {@code other} for anything else.
     */
    static String route(String path) {
        if (path == null) {
            return "other";
        }
        if (FIXED.contains(path)) {
            return path;
        }
        if (path.startsWith("/ui/")) {
            return "/ui/**";
        }
        if (path.startsWith("/api/v1/sessions/")) {
            String rest = path.substring("/api/v1/sessions/".length());
            int slash = rest.indexOf('/');
            if (slash < 0) {
                return rest.isEmpty() ? "other" : "/api/v1/sessions/{id}";
            }
            String part = rest.substring(slash + 1);
            if (slash > 0 && SESSION_PARTS.contains(part)) {
                return "/api/v1/sessions/{id}/" + part;
            }
        }
        return "other";
    }
}
