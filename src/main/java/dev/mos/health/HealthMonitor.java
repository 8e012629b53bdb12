package dev.mos.health;

import dev.mos.config.MosConfig;
import dev.mos.live.LiveFeed;
import dev.mos.store.SessionStore;
import dev.mos.store.StoreStats;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;

/**
 * Decides healthy / warning / critical as the seed does: memory against maxMemoryMB (warning from 80%,
 * critical above), error rate against maxErrorRate (warning from half of it, critical above), average response
 * time against maxResponseTimeMS (warning above). Rates and averages cover the last five minutes.
 */
public final class HealthMonitor {

    private static final int RECENT_ALERTS = 50;

    /** A verdict with the alerts behind it. */
    public record Verdict(HealthStatus status, List<Alert> alerts) {
    }

    private final MosConfig.Health limits;
    private final RequestStats requests;
    private final IngestCounters ingest;
    private final SessionStore store;
    private final LiveFeed live;
    private final ToolCircuitBreakers breakers;
    private final Lifecycle lifecycle;
    private final Clock clock;
    private final java.util.function.LongSupplier memoryUsed;
    private final long startedMs;
    private final ArrayDeque<Alert> raised = new ArrayDeque<>();

    public HealthMonitor(MosConfig.Health limits, RequestStats requests, IngestCounters ingest, SessionStore store,
            LiveFeed live, ToolCircuitBreakers breakers, Lifecycle lifecycle, Clock clock) {
        this(limits, requests, ingest, store, live, breakers, lifecycle, clock, HealthMonitor::heapUsedBytes);
    }

    /** @param memoryUsed the memory figure held against maxMemoryMB (the heap in use; tests give their own) */
    public HealthMonitor(MosConfig.Health limits, RequestStats requests, IngestCounters ingest, SessionStore store,
            LiveFeed live, ToolCircuitBreakers breakers, Lifecycle lifecycle, Clock clock,
            java.util.function.LongSupplier memoryUsed) {
        this.memoryUsed = memoryUsed;
        this.limits = limits;
        this.requests = requests;
        this.ingest = ingest;
        this.store = store;
        this.live = live;
        this.breakers = breakers;
        this.lifecycle = lifecycle;
        this.clock = clock;
        this.startedMs = clock.millis();
    }

    public static long heapUsedBytes() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The memory in use that health holds against the limit, in bytes (exported as mos_memory_used_bytes). */
    public long memoryUsedBytes() {
        return memoryUsed.getAsLong();
    }

    /** health.maxMemoryMB in bytes (exported as mos_memory_limit_bytes). */
    public long memoryLimitBytes() {
        return limits.maxMemoryMB() * 1_048_576L;
    }

    /** The thresholds this monitor applies. */
    public MosConfig.Health limits() {
        return limits;
    }

    /** Calls, errors and timed calls over the last five minutes, as the verdict counts them. */
    SlidingWindow.Totals recentRequests() {
        return requests.recent();
    }

    public Verdict evaluate() {
        List<Alert> alerts = new ArrayList<>();
        HealthStatus status = HealthStatus.HEALTHY;
        String now = clock.instant().toString();

        double usedMb = memoryUsedBytes() / 1_048_576.0;
        double limitMb = limits.maxMemoryMB();
        if (usedMb > limitMb) {
            alerts.add(new Alert(now, "memory_high", "critical", String.format(java.util.Locale.ROOT,
                    "heap %.0f MB is over maxMemoryMB %d", usedMb, limits.maxMemoryMB()), usedMb, limitMb));
            status = status.worst(HealthStatus.CRITICAL);
        } else if (usedMb > 0.8 * limitMb) {
            alerts.add(new Alert(now, "memory_high", "warning", String.format(java.util.Locale.ROOT,
                    "heap %.0f MB is over 80%% of maxMemoryMB %d", usedMb, limits.maxMemoryMB()), usedMb,
                    0.8 * limitMb));
            status = status.worst(HealthStatus.WARNING);
        }

        SlidingWindow.Totals recent = requests.recent();
        double errorRate = recent.errorRate();
        if (recent.count() > 0 && errorRate > limits.maxErrorRate()) {
            alerts.add(new Alert(now, "error_rate_high", "critical", String.format(java.util.Locale.ROOT,
                    "error rate %.1f%% over the last 5 minutes is above maxErrorRate %.1f%%", errorRate * 100,
                    limits.maxErrorRate() * 100), errorRate, limits.maxErrorRate()));
            status = status.worst(HealthStatus.CRITICAL);
        } else if (recent.count() > 0 && errorRate > limits.maxErrorRate() / 2) {
            alerts.add(new Alert(now, "error_rate_high", "warning", String.format(java.util.Locale.ROOT,
                    "error rate %.1f%% over the last 5 minutes is above half of maxErrorRate %.1f%%",
                    errorRate * 100, limits.maxErrorRate() * 100), errorRate, limits.maxErrorRate() / 2));
            status = status.worst(HealthStatus.WARNING);
        }

        double avgMs = recent.avgMs();
        if (avgMs > limits.maxResponseTimeMS()) {
            alerts.add(new Alert(now, "response_time_high", "warning", String.format(java.util.Locale.ROOT,
                    "average response time %.0f ms over the last 5 minutes is above maxResponseTimeMS %d", avgMs,
                    limits.maxResponseTimeMS()), avgMs, limits.maxResponseTimeMS()));
            status = status.worst(HealthStatus.WARNING);
        }

        Optional<String> storeProblem = store.problem();
        if (storeProblem.isPresent()) {
            alerts.add(new Alert(now, "store_unavailable", "critical", "storage (" + store.backend()
                    + ") is unavailable: " + storeProblem.get(), 1, 0));
            status = status.worst(HealthStatus.CRITICAL);
        }

        long open = breakers.openCount();
        if (open > 0) {
            alerts.add(new Alert(now, "circuit_breaker_open", "warning", open + " tool circuit breaker(s) open",
                    open, 0));
            status = status.worst(HealthStatus.WARNING);
        }
        return new Verdict(status, alerts);
    }

    /** Serving: neither starting nor draining. */
    public boolean serving() {
        return lifecycle.isServing();
    }

    /** What /health/ready answers 200 to: serving (not starting or draining) and the store can serve. */
    public boolean ready() {
        return lifecycle.isServing() && store.problem().isEmpty();
    }

    /** Why the store cannot serve (readiness fails while it cannot), or empty. */
    public Optional<String> storeProblem() {
        return store.problem();
    }

    /** Runs a check and remembers what it raised; called by the periodic health check. */
    public Verdict checkAndRecord() {
        Verdict verdict = evaluate();
        synchronized (raised) {
            for (Alert alert : verdict.alerts()) {
                if (raised.size() == RECENT_ALERTS) {
                    raised.removeFirst();
                }
                raised.addLast(alert);
            }
        }
        return verdict;
    }

    public List<Alert> recentAlerts() {
        synchronized (raised) {
            return new ArrayList<>(raised);
        }
    }

    /** The health document of get_health_status and GET /health. */
    public Map<String, Object> report(boolean detailed) {
        Verdict verdict = evaluate();
        StoreStats storeStats = store.stats();
        SlidingWindow.Totals recent = requests.recent();
        Runtime rt = Runtime.getRuntime();
        long used = memoryUsedBytes();

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", verdict.status().wireName());
        out.put("lifecycle", lifecycle.state().name().toLowerCase(java.util.Locale.ROOT));
        out.put("timestamp", clock.instant().toString());
        out.put("uptime_ms", clock.millis() - startedMs);
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("heap_used_mb", RequestStats.round(used / 1_048_576.0));
        memory.put("heap_max_mb", RequestStats.round(rt.maxMemory() / 1_048_576.0));
        memory.put("limit_mb", limits.maxMemoryMB());
        memory.put("usage_ratio", RequestStats.round(used / 1_048_576.0 / limits.maxMemoryMB()));
        memory.put("store_estimated_mb", RequestStats.round(storeStats.estimatedBytes() / 1_048_576.0));
        memory.put("store_budget_mb", RequestStats.round(storeStats.budgetBytes() / 1_048_576.0));
        out.put("memory", memory);
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("total", requests.totalRequests());
        req.put("recent_window_s", 300);
        req.put("recent", recent.count());
        req.put("recent_errors", recent.errors());
        req.put("error_rate", RequestStats.round(recent.errorRate() * 10_000) / 10_000);
        req.put("avg_response_ms", RequestStats.round(recent.avgMs()));
        out.put("requests", req);
        Map<String, Object> events = new LinkedHashMap<>();
        events.put("ingested", ingest.total());
        events.put("rejected", ingest.rejectedTotal());
        events.put("retained", storeStats.retainedEvents());
        events.put("dropped", storeStats.droppedEvents());
        out.put("events", events);
        Map<String, Object> sessions = new LinkedHashMap<>();
        sessions.put("active", storeStats.sessions());
        sessions.put("expired", storeStats.expiredSessions());
        sessions.put("evicted", storeStats.evictedSessions());
        out.put("sessions", sessions);
        out.put("alerts", verdict.alerts().stream().map(Alert::message).toList());
        if (detailed) {
            out.put("method_breakdown", requests.methodBreakdown());
            out.put("event_type_breakdown", ingest.byType());
            out.put("response_times", requests.responseTimePercentiles());
            out.put("recent_errors", requests.recentErrors());
            out.put("alerts_raised_recently", recentAlerts());
            Map<String, Object> components = new LinkedHashMap<>();
            Map<String, Object> storeComponent = new LinkedHashMap<>();
            storeComponent.put("backend", store.backend());
            storeComponent.put("location", store.description());
            storeComponent.put("sessions", storeStats.sessions());
            storeComponent.put("retained_events", storeStats.retainedEvents());
            components.put("store", storeComponent);
            components.put("streams", Map.of("waiting_readers", live.waitingReaders()));
            components.put("circuit_breakers", breakers.describe());
            out.put("components", components);
            Map<String, Object> thresholds = new LinkedHashMap<>();
            thresholds.put("maxMemoryMB", limits.maxMemoryMB());
            thresholds.put("maxResponseTimeMS", limits.maxResponseTimeMS());
            thresholds.put("maxErrorRate", limits.maxErrorRate());
            thresholds.put("healthCheckInterval", limits.healthCheckInterval());
            out.put("thresholds", thresholds);
        }
        return out;
    }
}
