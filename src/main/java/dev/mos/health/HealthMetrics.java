package dev.mos.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/**
 * Publishes what {@link HealthMonitor} decides, from the same figures it decides on, so that an alert on these
 * gauges and the status of /health cannot disagree: the verdict itself (one-hot {@code mos_health_status}), the
 * memory it holds against the limit, the error ratio and average response time of its five-minute window with
 * their limits, and readiness as /health/ready answers it.
 */
public final class HealthMetrics {

    /** One scrape reads the status gauges one after another; they must all show the same verdict. */
    private static final long VERDICT_REUSE_MS = 1_000;

    private final HealthMonitor monitor;
    private final Clock clock;
    private HealthStatus lastStatus;
    private long lastAtMs = Long.MIN_VALUE;

    public HealthMetrics(HealthMonitor monitor, Clock clock) {
        this.monitor = monitor;
        this.clock = clock;
    }

    public void bindTo(MeterRegistry registry) {
        for (HealthStatus s : HealthStatus.values()) {
            // Strong: nothing else holds this object, and a weakly held gauge would turn NaN after a GC.
            Gauge.builder("mos.health.status", this, m -> m.status() == s ? 1 : 0).strongReference(true)
                    .description("The /health verdict: 1 for the current status, 0 for the others")
                    .tag("status", s.wireName()).register(registry);
        }
        Gauge.builder("mos.memory.used", monitor, HealthMonitor::memoryUsedBytes).baseUnit("bytes")
                .description("Memory held against health.maxMemoryMB (heap in use)").register(registry);
        Gauge.builder("mos.memory.limit", monitor, HealthMonitor::memoryLimitBytes).baseUnit("bytes")
                .description("health.maxMemoryMB").register(registry);
        Gauge.builder("mos.health.requests", monitor, m -> m.recentRequests().count())
                .description("MCP tool calls in health's five-minute window").register(registry);
        Gauge.builder("mos.health.error.ratio", monitor, m -> m.recentRequests().errorRate())
                .description("Failed share of the MCP tool calls in health's five-minute window (0 without calls)")
                .register(registry);
        Gauge.builder("mos.health.error.ratio.limit", monitor, m -> m.limits().maxErrorRate())
                .description("health.maxErrorRate").register(registry);
        Gauge.builder("mos.health.response.time", monitor, m -> m.recentRequests().avgMs() / 1000.0)
                .baseUnit("seconds")
                .description("Average MCP tool call time in health's five-minute window, long polls excluded")
                .register(registry);
        Gauge.builder("mos.health.response.time.limit", monitor, m -> m.limits().maxResponseTimeMS() / 1000.0)
                .baseUnit("seconds").description("health.maxResponseTimeMS").register(registry);
        Gauge.builder("mos.store.ready", monitor, m -> m.storeProblem().isEmpty() ? 1 : 0)
                .description("1 while the store answers (the check /health/ready makes), else 0").register(registry);
        Gauge.builder("mos.ready", monitor, m -> m.ready() ? 1 : 0)
                .description("1 while /health/ready answers 200 (serving and the store can serve), else 0")
                .register(registry);
    }

    /** The verdict, computed at most once a second so that one scrape sees exactly one status set. */
    synchronized HealthStatus status() {
        long now = clock.millis();
        if (lastStatus == null || now - lastAtMs >= VERDICT_REUSE_MS || now < lastAtMs) {
            lastStatus = monitor.evaluate().status();
            lastAtMs = now;
        }
        return lastStatus;
    }
}
