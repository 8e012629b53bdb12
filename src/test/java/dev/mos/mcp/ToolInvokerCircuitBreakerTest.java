package dev.mos.mcp;

import dev.mos.audit.AuditLog;
import dev.mos.store.StoreLimits;
import dev.mos.store.memory.MemorySessionStore;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.config.MosConfig;
import dev.mos.health.RequestStats;
import dev.mos.health.ToolCircuitBreakers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The invoker's breaker with a tool whose dependency really fails, then recovers. */
class ToolInvokerCircuitBreakerTest {

    /** A tool standing for any handler whose dependency breaks: it throws while {@code broken} is set. */
    private static final class FlakyTool implements McpTool {
        final AtomicBoolean broken = new AtomicBoolean(true);
        final AtomicInteger executions = new AtomicInteger();

        @Override
        public String name() {
            return "flaky";
        }

        @Override
        public String description() {
            return "fails while broken";
        }

        @Override
        public String inputSchema() {
            return "{\"type\": \"object\"}";
        }

        @Override
        public String outputSchema() {
            return "{\"type\": \"object\"}";
        }

        @Override
        public Set<String> parameters() {
            return Set.of("x");
        }

        @Override
        public boolean readOnly() {
            return true;
        }

        @Override
        public ToolResult call(ToolArguments args, ProgressSink progress) {
            executions.incrementAndGet();
            if (broken.get()) {
                throw new IllegalStateException("backend down at dev.mos.Secret.line(42)");
            }
            return ToolResult.ok("fine", Map.of("ok", true));
        }
    }

    @Test
    void opensAfterRepeatedFailuresThenHalfOpensAndCloses() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ToolCircuitBreakers breakers = new ToolCircuitBreakers(new MosConfig.CircuitBreaker(50f, 4, 4, 200),
                meters);
        FlakyTool tool = new FlakyTool();
        ToolInvoker invoker = new ToolInvoker(List.of(tool), breakers, new RequestStats(meters, Clock.systemUTC()),
                false, new AuditLog(new MemorySessionStore(new StoreLimits(100, 1 << 20), Clock.systemUTC()),
                Clock.systemUTC()));

        for (int i = 0; i < 4; i++) {
            ToolResult r = invoker.invoke("flaky", Map.of(), ProgressSink.NONE, dev.mos.audit.Actor.LOCAL);
            assertThat(r.isError()).isTrue();
            assertThat(r.text()).contains("internal error", "incident").doesNotContain("Secret", "IllegalState");
        }
        ToolResult rejected = invoker.invoke("flaky", Map.of(), ProgressSink.NONE, dev.mos.audit.Actor.LOCAL);
        assertThat(rejected.text()).contains("circuit breaker is OPEN");
        assertThat(tool.executions).hasValue(4);
        assertThat(breakers.describe().toString()).contains("state=OPEN");
        assertThat(breakers.openCount()).isEqualTo(1);

        tool.broken.set(false);
        Thread.sleep(300);
        for (int i = 0; i < 3; i++) {
            assertThat(invoker.invoke("flaky", Map.of(), ProgressSink.NONE, dev.mos.audit.Actor.LOCAL).isError()).isFalse();
        }
        assertThat(breakers.describe().toString()).contains("state=CLOSED");
    }

    @Test
    void badInputIsAnsweredButDoesNotTripTheBreaker() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ToolCircuitBreakers breakers = new ToolCircuitBreakers(new MosConfig.CircuitBreaker(50f, 2, 2, 60_000),
                meters);
        FlakyTool tool = new FlakyTool();
        tool.broken.set(false);
        ToolInvoker invoker = new ToolInvoker(List.of(tool), breakers, new RequestStats(meters, Clock.systemUTC()),
                false, new AuditLog(new MemorySessionStore(new StoreLimits(100, 1 << 20), Clock.systemUTC()),
                Clock.systemUTC()));
        for (int i = 0; i < 10; i++) {
            ToolResult r = invoker.invoke("flaky", Map.of("unexpected", 1), ProgressSink.NONE, dev.mos.audit.Actor.LOCAL);
            assertThat(r.text()).contains("unknown parameter 'unexpected'");
        }
        assertThat(breakers.openCount()).isZero();
        assertThat(invoker.invoke("nope", Map.of(), ProgressSink.NONE, dev.mos.audit.Actor.LOCAL).text()).contains("unknown tool 'nope'",
                "flaky");
    }
}
