package dev.mos.health;

import dev.mos.store.SessionStore;
import dev.mos.store.StoreStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what {@link HealthMonitor} decides, from the same figures it decides on, so that an alert on these
 * gauges and the status of /health cannot disagree: the verdict itself (one-hot {@code mos_health_status}), the
 * memory it holds against the limit, the error ratio and average response time of its five-minute window with
 * their limits, and readiness as /health/ready answers it.
 *
 * <p>Whatever asks the store is sampled on a thread of its own, never during a scrape: while the database is down
 * every such question waits for the connection timeout, and a scrape that waited would time out in Prometheus, so
 * the outage would show as a missing target instead of as {@code mos_store_ready 0}.
 */
public final class HealthMetrics implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthMetrics.class);
    /** Store statistics (a query over all sessions) are read every this many samples. */
    private static final int STATS_EVERY = 5;

    /** One sample: the verdict and what readiness and the store gauges show until the next one. */
    public record Sample(HealthStatus status, boolean storeReady, boolean ready, StoreStats storeStats) {
    }

    private final HealthMonitor monitor;
    private final SessionStore store;
    private volatile Sample last;
    private int round;
    private ScheduledExecutorService sampler;
    private volatile boolean sampling;

    public HealthMetrics(HealthMonitor monitor, SessionStore store) {
        this.monitor = monitor;
        this.store = store;
    }

    public void bindTo(MeterRegistry registry) {
        for (HealthStatus s : HealthStatus.values()) {
            // Strong: nothing else holds this object, and a weakly held gauge would turn NaN after a GC.
            Gauge.builder("mos.health.status", this, m -> m.current().status() == s ? 1 : 0).strongReference(true)
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
        Gauge.builder("mos.store.ready", this, m -> m.current().storeReady() ? 1 : 0).strongReference(true)
                .description("1 while the store answers (the check /health/ready makes), else 0").register(registry);
        Gauge.builder("mos.ready", this, m -> m.current().ready() ? 1 : 0).strongReference(true)
                .description("1 while /health/ready answers 200 (serving and the store answers), else 0")
                .register(registry);
        storeGauge(registry, "mos.sessions.active", StoreStats::sessions);
        storeGauge(registry, "mos.events.retained", StoreStats::retainedEvents);
        storeGauge(registry, "mos.events.dropped", StoreStats::droppedEvents);
        storeGauge(registry, "mos.sessions.evicted", StoreStats::evictedSessions);
        storeGauge(registry, "mos.sessions.expired", StoreStats::expiredSessions);
        storeGauge(registry, "mos.store.estimated.bytes", StoreStats::estimatedBytes);
    }

    private void storeGauge(MeterRegistry registry, String name, Function<StoreStats, Number> figure) {
        Gauge.builder(name, this, m -> figure.apply(m.storeStats()).doubleValue()).strongReference(true)
                .register(registry);
    }

    /** The latest sample; taken now when no sampler runs (stdio, tests) or none was taken yet. */
    public Sample current() {
        Sample s = last;
        return s != null && sampling ? s : sample();
    }

    /** The store's figures as of the latest sample (never waits for the store). */
    public StoreStats storeStats() {
        return current().storeStats();
    }

    /** Takes a sample now: the verdict (one store check), readiness from it, and every few rounds the stats. */
    public synchronized Sample sample() {
        HealthMonitor.Verdict verdict = monitor.evaluate();
        boolean storeReady = verdict.alerts().stream().noneMatch(a -> a.name().equals("store_unavailable"));
        Sample previous = last;
        StoreStats stats = previous == null || !sampling || round % STATS_EVERY == 0 ? store.stats()
                : previous.storeStats();
        round++;
        Sample s = new Sample(verdict.status(), storeReady, storeReady && monitor.serving(), stats);
        last = s;
        return s;
    }

    /** Samples now, then every {@code periodMs} on a daemon thread until {@link #close}. */
    public synchronized void start(long periodMs) {
        if (sampler != null) {
            return;
        }
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mos-health-sampler");
            t.setDaemon(true);
            return t;
        });
        sample();
        sampler.scheduleWithFixedDelay(() -> {
            try {
                sample();
            } catch (RuntimeException e) {
                log.warn("health sample failed: {}", e.toString());
            }
        }, periodMs, periodMs, TimeUnit.MILLISECONDS);
        sampling = true;
    }

    @Override
    public synchronized void close() {
        sampling = false;
        if (sampler != null) {
            sampler.shutdownNow();
        }
    }
}
