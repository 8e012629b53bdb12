package dev.mos.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.MutableClock;
import dev.mos.config.MosConfig;
import dev.mos.live.LiveFeed;
import dev.mos.pg.PostgresServer;
import dev.mos.store.GuardedSessionStore;
import dev.mos.store.SessionStore;
import dev.mos.store.jdbc.Database;
import dev.mos.store.jdbc.DatabaseUrl;
import dev.mos.store.jdbc.JdbcSessionStore;
import dev.mos.store.StoreLimits;
import dev.mos.store.memory.MemorySessionStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gauges alerts use say what /health says, under the same inputs, as Prometheus would scrape them. */
class HealthMetricsTest {

    private static final long T0 = 1_764_000_000_000L;
    private static final long MB = 1_048_576L;

    private final MutableClock clock = new MutableClock(T0);
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RequestStats requests = new RequestStats(registry, clock);
    private final IngestCounters ingest = new IngestCounters(registry);
    private final ToolCircuitBreakers breakers =
            new ToolCircuitBreakers(new MosConfig.CircuitBreaker(50f, 4, 10, 30_000), registry);
    private final MemorySessionStore store = new MemorySessionStore(new StoreLimits(100, 1L << 24), clock);
    private final LiveFeed live = new LiveFeed();
    private final Lifecycle lifecycle = new Lifecycle();
    private final AtomicLong heapUsed = new AtomicLong(100 * MB);
    private final HealthMonitor monitor = new HealthMonitor(new MosConfig.Health(512, 1_000, 0.05, 30_000),
            requests, ingest, store, live, breakers, lifecycle, clock, heapUsed::get);

    private final HealthMetrics metrics = new HealthMetrics(monitor, store);

    HealthMetricsTest() {
        metrics.bindTo(registry);
        metrics.start(3_600_000); // one sample now; the tests take the next ones themselves
    }

    @AfterEach
    void close() {
        metrics.close();
        store.close();
        live.close();
    }

    /** One sample of the scrape, by its exact name and labels as Prometheus text shows them. */
    private double sample(String nameAndLabels) {
        String scrape = registry.scrape();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(nameAndLabels) + " (\\S+)$").matcher(scrape);
        assertThat(m.find()).as("%s in\n%s", nameAndLabels, scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** The status gauges after a new sample: exactly one is 1, and it is /health's status. */
    private void assertStatusAgrees() {
        metrics.sample();
        String healthSays = (String) monitor.report(false).get("status");
        double healthy = sample("mos_health_status{status=\"healthy\"}");
        double warning = sample("mos_health_status{status=\"warning\"}");
        double critical = sample("mos_health_status{status=\"critical\"}");
        assertThat(healthy + warning + critical).isEqualTo(1.0);
        assertThat(sample("mos_health_status{status=\"" + healthSays + "\"}")).isEqualTo(1.0);
    }

    private void record(int calls, int errors, long millis) {
        for (int i = 0; i < calls; i++) {
            requests.record("get_activity_tree", TimeUnit.MILLISECONDS.toNanos(millis), i < errors ? "boom" : null);
        }
    }

    @Test
    void statusFollowsMemoryAgainstTheLimitAsHealthDoes() {
        assertStatusAgrees();
        assertThat(sample("mos_health_status{status=\"healthy\"}")).isEqualTo(1.0);
        assertThat(sample("mos_memory_limit_bytes")).isEqualTo(512.0 * MB);
        assertThat(sample("mos_memory_used_bytes")).isEqualTo(100.0 * MB);

        heapUsed.set(420 * MB); // 82 %: warning, and the MosMemoryHigh expression (used / limit > 0.8) holds
        assertStatusAgrees();
        assertThat(sample("mos_health_status{status=\"warning\"}")).isEqualTo(1.0);
        assertThat(sample("mos_memory_used_bytes") / sample("mos_memory_limit_bytes")).isGreaterThan(0.8);

        heapUsed.set(600 * MB);
        assertStatusAgrees();
        assertThat(sample("mos_health_status{status=\"critical\"}")).isEqualTo(1.0);
    }

    @Test
    void errorRatioIsHealthsWindowAndCrossesTheLimitWhenHealthTurnsCritical() {
        record(100, 4, 10);
        assertStatusAgrees();
        assertThat(sample("mos_health_error_ratio")).isEqualTo(0.04);
        assertThat(sample("mos_health_error_ratio_limit")).isEqualTo(0.05);
        assertThat(sample("mos_health_requests")).isEqualTo(100.0);
        assertThat(sample("mos_health_status{status=\"warning\"}")).isEqualTo(1.0);

        record(100, 10, 10); // 14 / 200 = 7 % > 5 %: critical, and MosErrorRateHigh's expression holds
        assertStatusAgrees();
        assertThat(sample("mos_health_error_ratio")).isEqualTo(0.07);
        assertThat(sample("mos_health_status{status=\"critical\"}")).isEqualTo(1.0);

        clock.advance(310_000); // out of the five-minute window, for health and for the gauge alike
        assertStatusAgrees();
        assertThat(sample("mos_health_error_ratio")).isEqualTo(0.0);
        assertThat(sample("mos_health_requests")).isEqualTo(0.0);
        assertThat(sample("mos_health_status{status=\"healthy\"}")).isEqualTo(1.0);
    }

    @Test
    void responseTimeIsHealthsAverageAndLongPollsStayOutOfIt() {
        record(4, 0, 1_500);
        assertStatusAgrees();
        assertThat(sample("mos_health_response_time_seconds")).isEqualTo(1.5);
        assertThat(sample("mos_health_response_time_limit_seconds")).isEqualTo(1.0);
        assertThat(sample("mos_health_status{status=\"warning\"}")).isEqualTo(1.0);
        assertThat(monitor.report(false)).extractingByKey("requests").asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("avg_response_ms", 1500.0);

        clock.advance(310_000);
        record(10, 0, 20);
        // A client waiting 30 s for news is not a slow server: counted as a call, not in the average.
        requests.record("stream_activity", TimeUnit.SECONDS.toNanos(30), null, true);
        assertStatusAgrees();
        assertThat(sample("mos_health_requests")).isEqualTo(11.0);
        assertThat(sample("mos_health_response_time_seconds")).isEqualTo(0.02);
        assertThat(sample("mos_health_status{status=\"healthy\"}")).isEqualTo(1.0);
    }

    @Test
    void storeReadyAndReadyFollowTheDatabaseAndTheLifecycleAsHealthReadyDoes() {
        PostgresServer pg = PostgresServer.startPrivate();
        try (SessionStore db = new GuardedSessionStore(new JdbcSessionStore(Database.postgres(
                DatabaseUrl.parse(pg.createDatabase())), new StoreLimits(100, 1L << 24), clock),
                breakers.forTool("store"))) {
            PrometheusMeterRegistry own = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            HealthMonitor withDb = new HealthMonitor(new MosConfig.Health(512, 1_000, 0.05, 30_000), requests,
                    ingest, db, live, breakers, lifecycle, clock, heapUsed::get);
            HealthMetrics dbMetrics = new HealthMetrics(withDb, db);
            dbMetrics.bindTo(own);
            java.util.function.Function<String, Double> sample = name -> {
                Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(own.scrape());
                assertThat(m.find()).as(name).isTrue();
                return Double.parseDouble(m.group(1));
            };
            assertThat(sample.apply("mos_store_ready")).isEqualTo(1.0);
            assertThat(sample.apply("mos_ready")).isEqualTo(0.0); // still starting: /health/ready answers 503
            lifecycle.serving();
            assertThat(sample.apply("mos_ready")).isEqualTo(1.0);
            assertThat(withDb.ready()).isTrue();

            pg.stopNow();
            assertThat(withDb.storeProblem()).isPresent();
            assertThat(withDb.ready()).isFalse();
            assertThat(withDb.report(false).get("status")).isEqualTo("critical");
            // With the sampler running, a scrape never waits for the database: the outage shows at once, as 0.
            dbMetrics.start(3_600_000);
            long started = System.nanoTime();
            String scrape = own.scrape();
            assertThat(System.nanoTime() - started).isLessThan(1_000_000_000L);
            java.util.function.Function<String, Double> during = name -> {
                Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(scrape);
                assertThat(m.find()).as(name).isTrue();
                return Double.parseDouble(m.group(1));
            };
            assertThat(during.apply("mos_store_ready")).isEqualTo(0.0);
            assertThat(during.apply("mos_ready")).isEqualTo(0.0);
            assertThat(during.apply("mos_health_status{status=\"critical\"}")).isEqualTo(1.0);

            pg.restart();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> {
                dbMetrics.sample();
                assertThat(sample.apply("mos_store_ready")).isEqualTo(1.0);
            });
            assertThat(sample.apply("mos_ready")).isEqualTo(1.0);
            lifecycle.draining();
            dbMetrics.sample();
            assertThat(sample.apply("mos_ready")).isEqualTo(0.0);
            assertThat(sample.apply("mos_store_ready")).isEqualTo(1.0);
            dbMetrics.close();
        }
    }

    @Test
    void theGaugesShowTheLatestSampleWhichIsOneVerdict() {
        assertThat(sample("mos_health_status{status=\"healthy\"}")).isEqualTo(1.0);
        heapUsed.set(600 * MB); // until the next sample the gauges keep the verdict they showed
        assertThat(sample("mos_health_status{status=\"healthy\"}")).isEqualTo(1.0);
        assertThat(sample("mos_health_status{status=\"critical\"}")).isEqualTo(0.0);
        metrics.sample();
        assertThat(sample("mos_health_status{status=\"critical\"}")).isEqualTo(1.0);
        assertThat(sample("mos_health_status{status=\"healthy\"}")).isEqualTo(0.0);
        assertThat(Map.of("status", monitor.report(false).get("status"))).containsEntry("status", "critical");
    }

    @Test
    void withoutASamplerEveryReadIsFresh() {
        HealthMetrics unsampled = new HealthMetrics(monitor, store);
        assertThat(unsampled.current().status()).isEqualTo(HealthStatus.HEALTHY);
        heapUsed.set(600 * MB);
        assertThat(unsampled.current().status()).isEqualTo(HealthStatus.CRITICAL);
        store.append(new dev.mos.model.NewEvent("s", dev.mos.model.EventType.TOOL_PRE_CALL,
                dev.mos.model.EventStatus.STARTED, 1, null, null, null, "Bash", null, null, null));
        assertThat(unsampled.storeStats().sessions()).isEqualTo(1);
    }
}
