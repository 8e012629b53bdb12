package dev.mos.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mos.config.MosConfig;
import dev.mos.health.ToolCircuitBreakers;
import dev.mos.model.EventStatus;
import dev.mos.model.EventType;
import dev.mos.model.NewEvent;
import dev.mos.store.GuardedSessionStore;
import dev.mos.store.StoreLimits;
import dev.mos.store.memory.MemorySessionStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** mos_stream_lag_seconds, mos_stream_backlog and mos_stream_overflows_total measure real delivery delays. */
class LiveMetricsTest {

    private final MemorySessionStore memory = new MemorySessionStore(new StoreLimits(100_000, 256L << 20),
            Clock.systemUTC());
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ToolCircuitBreakers breakers =
            new ToolCircuitBreakers(new MosConfig.CircuitBreaker(50f, 4, 10, 30_000), registry);
    private final GuardedSessionStore store = new GuardedSessionStore(memory, breakers.forTool("store"));
    private final LiveFeed feed = new LiveFeed(new StreamHub(), store);

    LiveMetricsTest() {
        new LiveMetrics(feed).bindTo(registry);
    }

    @AfterEach
    void close() {
        feed.close();
        memory.close();
    }

    private double sample(String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(registry.scrape());
        assertThat(m.find()).as(name).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static NewEvent event(String session) {
        return new NewEvent(session, EventType.TOOL_PRE_CALL, EventStatus.STARTED, 1, null, null, null, "Bash", null,
                null, null);
    }

    @Test
    void lagGrowsWhileCommittedEventsCannotBeReadAndFallsToZeroOnceDelivered() throws Exception {
        assertThat(sample("mos_stream_lag_seconds")).isZero();
        try (Subscription sub = feed.streams().subscribe("s", 100)) {
            // Another replica committed: the relay must read the event from the store, which is unavailable now.
            memory.append(event("s"));
            breakers.forTool("store").transitionToForcedOpenState();
            feed.remoteAppend("s");
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(sample("mos_stream_lag_seconds")).isGreaterThan(0.5));
            assertThat(sub.poll(10)).isNull();
            double before = sample("mos_stream_lag_seconds");
            Thread.sleep(300);
            assertThat(sample("mos_stream_lag_seconds")).isGreaterThan(before); // an age: it keeps growing

            breakers.forTool("store").transitionToClosedState();
            assertThat(sub.poll(5_000)).isNotNull(); // the relay retries about once a second
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(sample("mos_stream_lag_seconds")).isZero());
        }
    }

    @Test
    void locallyCommittedEventsLeaveNoLagBehindOnceHandedOver() throws Exception {
        try (Subscription sub = feed.streams().subscribe(null, 100)) {
            for (int i = 0; i < 50; i++) {
                feed.publish(memory.append(event("t")));
            }
            for (int i = 0; i < 50; i++) {
                assertThat(sub.poll(5_000)).isNotNull();
            }
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(sample("mos_stream_lag_seconds")).isZero());
        }
    }

    @Test
    void backlogIsTheFullestBufferAndOverflowsAreCounted() throws Exception {
        assertThat(sample("mos_stream_backlog")).isZero();
        assertThat(sample("mos_stream_overflows_total")).isZero();
        try (Subscription slow = feed.streams().subscribe(null, 5);
                Subscription fast = feed.streams().subscribe(null, 100)) {
            for (int i = 0; i < 3; i++) {
                feed.publish(memory.append(event("u")));
            }
            for (int i = 0; i < 3; i++) {
                assertThat(fast.poll(5_000)).isNotNull();
            }
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(sample("mos_stream_backlog")).isEqualTo(3.0));
            for (int i = 0; i < 5; i++) {
                feed.publish(memory.append(event("u")));
            }
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(sample("mos_stream_overflows_total")).isEqualTo(1.0));
            assertThat(sample("mos_stream_backlog")).isEqualTo(5.0);
        }
        assertThat(sample("mos_stream_backlog")).isZero();
    }
}
