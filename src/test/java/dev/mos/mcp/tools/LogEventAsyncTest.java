package dev.mos.mcp.tools;

import dev.mos.audit.AuditLog;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.MutableClock;
import dev.mos.config.MosConfig;
import dev.mos.health.IngestCounters;
import dev.mos.health.RequestStats;
import dev.mos.health.ToolCircuitBreakers;
import dev.mos.ingest.EventDecoder;
import dev.mos.ingest.IngestPipeline;
import dev.mos.ingest.hooks.AgentLinks;
import dev.mos.ingest.hooks.HookEventMapper;
import dev.mos.ingest.hooks.HookReceiver;
import dev.mos.ingest.privacy.CapturePolicy;
import dev.mos.live.LiveFeed;
import dev.mos.mcp.ProgressSink;
import dev.mos.mcp.ToolInvoker;
import dev.mos.mcp.ToolResult;
import dev.mos.store.GuardedSessionStore;
import dev.mos.store.SessionStore;
import dev.mos.store.StoreLimits;
import dev.mos.store.jdbc.Database;
import dev.mos.store.jdbc.JdbcSessionStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * log_event on a real SQLite store answers through a future completed by the commit: many calls are in flight at
 * once from one thread (as on the stdio reader), every answer names a committed event, and a write the database
 * refuses is answered with the retryable "nothing was stored" error.
 */
class LogEventAsyncTest {

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(1_764_000_000_000L);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    private ToolInvoker invoker(SessionStore store) {
        JsonMapper json = JsonMapper.builder().build();
        LiveFeed live = new LiveFeed();
        closing.add(live::close);
        IngestPipeline ingest = new IngestPipeline(new EventDecoder(json, clock), store, live,
                new IngestCounters(meters));
        HookReceiver hooks = new HookReceiver(new HookEventMapper(json, CapturePolicy.defaults(),
                new AgentLinks()), ingest);
        ToolCircuitBreakers breakers = new ToolCircuitBreakers(new MosConfig.CircuitBreaker(50f, 4, 4, 60_000),
                meters);
        return new ToolInvoker(List.of(new LogEventTool(ingest, hooks, "stdio")), breakers,
                new RequestStats(meters, clock), false, new AuditLog(store, clock));
    }

    private SessionStore sqlite() {
        SessionStore store = new GuardedSessionStore(new JdbcSessionStore(Database.sqlite(dataDir),
                new StoreLimits(10_000, 1L << 30), clock),
                // roomy: this test reads after two refused writes, which a tight breaker would (rightly) refuse
                new ToolCircuitBreakers(new MosConfig.CircuitBreaker(50f, 20, 20, 60_000), meters).forTool("store"));
        closing.add(store);
        return store;
    }

    private static Map<String, Object> event(String session, int i) {
        return Map.of("event", Map.of("session_id", session, "event_type", "tool_pre_call", "correlation_id",
                "t" + i, "details", Map.of("name", "Read")));
    }

    @Test
    void callsInFlightFromOneThreadShareCommitsAndEachAnswerNamesACommittedEvent() throws Exception {
        SessionStore store = sqlite();
        ToolInvoker invoker = invoker(store);

        List<CompletableFuture<ToolResult>> answers = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            answers.add(invoker.invokeAsync("log_event", event("s", i), ProgressSink.NONE));
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        List<Object> sequences = new ArrayList<>();
        for (CompletableFuture<ToolResult> answer : answers) {
            ToolResult result = answer.get();
            assertThat(result.isError()).as(result.text()).isFalse();
            sequences.add(result.structured().get("sequence"));
        }
        assertThat(sequences).doesNotHaveDuplicates().hasSize(500);
        assertThat(store.events("s")).hasSize(500);
        assertThat(store.session("s").orElseThrow().lastSequence()).isEqualTo(500);
    }

    @Test
    void aBatchIsAnsweredAfterItsCommitWithRefusalsByIndex() throws Exception {
        SessionStore store = sqlite();
        ToolInvoker invoker = invoker(store);

        ToolResult result = invoker.invokeAsync("log_event", Map.of("events", List.of(
                Map.of("session_id", "b", "event_type", "tool_pre_call"),
                Map.of("session_id", "b", "event_type", "no_such_type"),
                Map.of("session_id", "b", "event_type", "tool_post_call"))), ProgressSink.NONE)
                .get(10, TimeUnit.SECONDS);

        assertThat(result.isError()).isFalse();
        assertThat(result.structured()).containsEntry("accepted", 2).containsEntry("rejected", 1);
        assertThat(store.events("b")).hasSize(2);
    }

    @Test
    void aWriteTheDatabaseRefusesIsAnsweredAsRetryableAndNothingIsAcknowledged() throws Exception {
        SessionStore store = sqlite();
        ToolInvoker invoker = invoker(store);
        assertThat(invoker.invokeAsync("log_event", event("s", 0), ProgressSink.NONE).get(10, TimeUnit.SECONDS)
                .isError()).isFalse();
        // Break the database for real from outside the store: the next commit fails inside SQLite.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("mos.db"));
                Statement st = c.createStatement()) {
            st.execute("CREATE TRIGGER refuse BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'disk says no');"
                    + " END");
        }

        ToolResult refused = invoker.invokeAsync("log_event", event("s", 1), ProgressSink.NONE)
                .get(10, TimeUnit.SECONDS);
        ToolResult refusedBatch = invoker.invokeAsync("log_event", Map.of("events", List.of(
                Map.of("session_id", "s", "event_type", "tool_pre_call"))), ProgressSink.NONE)
                .get(10, TimeUnit.SECONDS);

        for (ToolResult r : List.of(refused, refusedBatch)) {
            assertThat(r.isError()).isTrue();
            assertThat(r.retryable()).isTrue();
            assertThat(r.text()).contains("nothing was stored", "disk says no").doesNotContain("at dev.mos");
        }
        assertThat(store.events("s")).hasSize(1);
        assertThat(store.session("s").orElseThrow().lastSequence()).isEqualTo(1);
    }
}
