package dev.mos.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.MutableClock;
import dev.mos.config.MosConfig;
import dev.mos.live.LiveFeed;
import dev.mos.model.EventType;
import dev.mos.store.StoreLimits;
import dev.mos.store.memory.MemorySessionStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthMonitorTest {

    private static final long T0 = 1_764_000_000_000L;
    /** Far above any test heap, so that memory never decides the verdict here. */
    private static final int HUGE_MEMORY_MB = 1_048_576;

    private final MutableClock clock = new MutableClock(T0);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RequestStats requests = new RequestStats(registry, clock);
    private final IngestCounters ingest = new IngestCounters(registry);
    private final ToolCircuitBreakers breakers =
            new ToolCircuitBreakers(new MosConfig.CircuitBreaker(50f, 4, 10, 30_000), registry);
    private final MemorySessionStore store = new MemorySessionStore(new StoreLimits(100, 1L << 24), clock);
    private final LiveFeed live = new LiveFeed();
    private final Lifecycle lifecycle = new Lifecycle();

    @AfterEach
    void close() {
        store.close();
        live.close();
    }

    private HealthMonitor monitor(long maxResponseMs, double maxErrorRate) {
        return new HealthMonitor(new MosConfig.Health(HUGE_MEMORY_MB, maxResponseMs, maxErrorRate, 30_000),
                requests, ingest, store, live, breakers, lifecycle, clock);
    }

    private void record(String method, int calls, int errors, long millis) {
        for (int i = 0; i < calls; i++) {
            requests.record(method, TimeUnit.MILLISECONDS.toNanos(millis), i < errors ? "failure " + i : null);
        }
    }

    @Test
    void noTrafficIsHealthy() {
        HealthMonitor.Verdict verdict = monitor(1_000, 0.05).evaluate();

        assertThat(verdict.status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(verdict.alerts()).isEmpty();
    }

    @Test
    void errorRateAboveTheLimitIsCritical() {
        record("get_session_tree", 100, 6, 10);

        HealthMonitor.Verdict verdict = monitor(1_000, 0.05).evaluate();

        assertThat(verdict.status()).isEqualTo(HealthStatus.CRITICAL);
        assertThat(verdict.alerts()).singleElement().satisfies(a -> {
            assertThat(a.name()).isEqualTo("error_rate_high");
            assertThat(a.severity()).isEqualTo("critical");
            assertThat(a.value()).isEqualTo(0.06);
            assertThat(a.limit()).isEqualTo(0.05);
            assertThat(a.message()).contains("6.0%").contains("5.0%");
        });
    }

    @Test
    void errorRateAboveHalfTheLimitIsAWarning() {
        record("get_session_tree", 100, 3, 10);

        HealthMonitor.Verdict verdict = monitor(1_000, 0.05).evaluate();

        assertThat(verdict.status()).isEqualTo(HealthStatus.WARNING);
        assertThat(verdict.alerts()).singleElement().satisfies(a -> {
            assertThat(a.name()).isEqualTo("error_rate_high");
            assertThat(a.severity()).isEqualTo("warning");
            assertThat(a.limit()).isEqualTo(0.025);
        });
    }

    @Test
    void errorRateBelowHalfTheLimitIsHealthy() {
        record("get_session_tree", 100, 2, 10);

        assertThat(monitor(1_000, 0.05).evaluate().status()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void averageResponseTimeAboveTheLimitIsAWarning() {
        record("export_session", 4, 0, 1_500);

        HealthMonitor.Verdict verdict = monitor(1_000, 0.05).evaluate();

        assertThat(verdict.status()).isEqualTo(HealthStatus.WARNING);
        assertThat(verdict.alerts()).singleElement().satisfies(a -> {
            assertThat(a.name()).isEqualTo("response_time_high");
            assertThat(a.severity()).isEqualTo("warning");
            assertThat(a.value()).isEqualTo(1_500.0);
            assertThat(a.limit()).isEqualTo(1_000.0);
        });

        assertThat(monitor(2_000, 0.05).evaluate().status()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void worstAlertDecidesTheVerdict() {
        record("slow_and_failing", 10, 5, 5_000);

        HealthMonitor.Verdict verdict = monitor(1_000, 0.05).evaluate();

        assertThat(verdict.status()).isEqualTo(HealthStatus.CRITICAL);
        assertThat(verdict.alerts()).extracting(Alert::name)
                .containsExactlyInAnyOrder("error_rate_high", "response_time_high");
    }

    @Test
    void errorsOlderThanTheWindowNoLongerCount() {
        record("get_session_tree", 10, 10, 10);
        HealthMonitor monitor = monitor(1_000, 0.05);
        assertThat(monitor.evaluate().status()).isEqualTo(HealthStatus.CRITICAL);

        clock.advance(310_000);
        assertThat(monitor.evaluate().status()).isEqualTo(HealthStatus.HEALTHY);

        record("get_session_tree", 10, 0, 10);
        assertThat(monitor.evaluate().status()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void anOpenCircuitBreakerIsAWarning() {
        breakers.forTool("flaky_tool").transitionToOpenState();

        HealthMonitor.Verdict verdict = monitor(1_000, 0.05).evaluate();

        assertThat(verdict.status()).isEqualTo(HealthStatus.WARNING);
        assertThat(verdict.alerts()).singleElement().extracting(Alert::name).isEqualTo("circuit_breaker_open");
    }

    @Test
    void checkAndRecordKeepsRaisedAlerts() {
        record("m", 10, 10, 10);
        HealthMonitor monitor = monitor(1_000, 0.05);

        monitor.checkAndRecord();
        monitor.checkAndRecord();

        assertThat(monitor.recentAlerts()).hasSize(2).allSatisfy(a -> assertThat(a.name()).isEqualTo("error_rate_high"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void detailedReportHasBreakdownsAndComponents() {
        record("get_session_tree", 3, 1, 20);
        record("log_event", 2, 0, 5);
        ingest.accepted(EventType.TOOL_PRE_CALL, "http");
        ingest.accepted(EventType.TOOL_PRE_CALL, "mcp");
        ingest.accepted(EventType.TASK_STARTED, "http");
        ingest.rejected("http");
        var breaker = breakers.forTool("get_session_tree");
        breaker.onSuccess(1, TimeUnit.MILLISECONDS);
        breaker.onError(1, TimeUnit.MILLISECONDS, new RuntimeException("x"));
        lifecycle.serving();
        clock.advance(5_000);

        Map<String, Object> report = monitor(1_000, 0.3).report(true);

        assertThat(report.get("status")).isEqualTo("warning"); // 1 error in 5 is above half of 0.3
        assertThat(report.get("lifecycle")).isEqualTo("serving");
        assertThat(report.get("uptime_ms")).isEqualTo(0L);
        Map<String, Object> methods = (Map<String, Object>) report.get("method_breakdown");
        assertThat(methods).containsOnlyKeys("get_session_tree", "log_event");
        Map<String, Object> tree = (Map<String, Object>) methods.get("get_session_tree");
        assertThat(tree).containsEntry("count", 3L).containsEntry("errors", 1L).containsEntry("error_rate", 0.33)
                .containsEntry("avg_ms", 20.0);
        assertThat((Map<String, Object>) report.get("event_type_breakdown"))
                .isEqualTo(Map.of("tool_pre_call", 2L, "task_started", 1L));
        Map<String, Object> events = (Map<String, Object>) report.get("events");
        assertThat(events).containsEntry("ingested", 3L).containsEntry("rejected", 1L);
        Map<String, Object> requestsPart = (Map<String, Object>) report.get("requests");
        assertThat(requestsPart).containsEntry("total", 5L).containsEntry("recent", 5L)
                .containsEntry("recent_errors", 1L).containsEntry("error_rate", 0.2);
        Map<String, Object> components = (Map<String, Object>) report.get("components");
        Map<String, Object> circuitBreakers = (Map<String, Object>) components.get("circuit_breakers");
        assertThat(circuitBreakers).containsOnlyKeys("get_session_tree");
        assertThat((Map<String, Object>) circuitBreakers.get("get_session_tree"))
                .containsEntry("state", "CLOSED").containsEntry("buffered_calls", 2)
                .containsEntry("failed_calls", 1);
        assertThat(components).containsKeys("store", "streams");
        assertThat(report).containsKeys("response_times", "recent_errors", "thresholds", "alerts_raised_recently");
        assertThat(requests.recentErrors()).singleElement().satisfies(e -> {
            assertThat(e.method()).isEqualTo("get_session_tree");
            assertThat(e.message()).isEqualTo("failure 0");
        });
    }

    @Test
    void summaryReportLeavesOutTheDetails() {
        record("m", 1, 0, 1);

        Map<String, Object> report = monitor(1_000, 0.05).report(false);

        assertThat(report).containsKeys("status", "memory", "requests", "events", "sessions", "alerts")
                .doesNotContainKeys("method_breakdown", "event_type_breakdown", "components");
        assertThat(report.get("status")).isEqualTo("healthy");
        assertThat(report.get("lifecycle")).isEqualTo("starting");
    }
}
