package dev.mos.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mos.model.DisplaySettings;
import dev.mos.model.SessionStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QueryServiceTest {

    private final QueryFixture fx = new QueryFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    private void touch(String session) {
        fx.clock.advance(1_000);
        fx.send(session, "task_progress", null, null, "tick", 0);
    }

    @Test
    void latestResolvesToTheMostRecentlyActiveSession() {
        touch("s1");
        touch("s2");

        assertThat(fx.query.resolve("latest").sessionId()).isEqualTo("s2");
        assertThat(fx.query.resolve(null).sessionId()).isEqualTo("s2");
        assertThat(fx.query.resolve(" ").sessionId()).isEqualTo("s2");
        assertThat(fx.query.view("latest").info().sessionId()).isEqualTo("s2");

        touch("s1");
        assertThat(fx.query.resolve("latest").sessionId()).isEqualTo("s1");
        assertThat(fx.query.resolve("s2").sessionId()).isEqualTo("s2");
    }

    @Test
    void unknownSessionMessageListsTheKnownOnes() {
        touch("alpha");
        touch("beta");

        assertThatThrownBy(() -> fx.query.resolve("gamma"))
                .isInstanceOf(UnknownSessionException.class)
                .hasMessage("session 'gamma' not found; most recent sessions: beta, alpha (or use \"latest\")");
    }

    @Test
    void withoutSessionsResolutionSaysThereAreNone() {
        assertThatThrownBy(() -> fx.query.resolve("latest"))
                .isInstanceOf(UnknownSessionException.class)
                .hasMessageContaining("no sessions yet");
        assertThatThrownBy(() -> fx.query.resolve("x"))
                .isInstanceOf(UnknownSessionException.class)
                .hasMessage("session 'x' not found; there are no sessions yet");
    }

    @Test
    void treeIsRebuiltWhenTheSessionGrows() {
        fx.demoSession("s1");
        SessionView before = fx.query.view("s1");
        assertThat(before.tree().operationCount()).isEqualTo(5);
        assertThat(fx.query.view("s1").tree()).isSameAs(before.tree());

        fx.send("s1", "subagent_complete", "D", null, null, 99_000);
        fx.send("s1", "task_complete", "T", null, null, 99_500);
        SessionView after = fx.query.view("s1");

        assertThat(after.tree().operationCount()).isEqualTo(5);
        assertThat(after.tree().runningCount()).isZero();
        assertThat(after.status()).isEqualTo(SessionStatus.COMPLETED);
        assertThat(before.status()).isEqualTo(SessionStatus.ACTIVE);
    }

    @Test
    void aSessionRecreatedUnderTheSameIdIsNotServedItsPredecessorsTree() {
        fx.send("s", "tool_pre_call", "a", null, "Read", 0);
        fx.send("s", "tool_post_call", "a", null, null, 10);
        assertThat(fx.query.view("s").tree().flatten()).extracting(n -> n.name()).containsExactly("Read");

        fx.store.delete("s");
        fx.clock.advance(1_000);
        fx.send("s", "tool_pre_call", "b", null, "Bash", 2_000);
        fx.send("s", "tool_post_call", "b", null, null, 2_010);

        // same id, same last sequence, nothing dropped: only the content differs
        assertThat(fx.query.view("s").tree().flatten()).extracting(n -> n.name()).containsExactly("Bash");
    }

    @Test
    void viewCarriesMetrics() {
        fx.demoSession("s1");

        SessionView view = fx.query.view("s1");

        assertThat(view.metrics().tasks()).isEqualTo(1);
        assertThat(view.metrics().toolCalls()).isEqualTo(2);
        assertThat(view.metrics().distinctTools()).isEqualTo(2);
        assertThat(view.metrics().mcpCalls()).isEqualTo(1);
        assertThat(view.metrics().subagents()).isEqualTo(1);
        assertThat(view.metrics().errors()).isEqualTo(1);
        assertThat(view.metrics().running()).isEqualTo(2);
        assertThat(view.metrics().totalDurationMs()).isEqualTo(100_000);
    }

    @Test
    void listFiltersByStatus() {
        fx.send("done", "task_started", "t", null, "ok", 0);
        fx.send("done", "task_complete", "t", null, null, 10);
        fx.clock.advance(10);
        fx.send("failed", "task_started", "t", null, "bad", 0);
        fx.send("failed", "task_failed", "t", null, null, 10);
        fx.clock.advance(10);
        fx.send("busy", "task_started", "t", null, "busy", 0);

        assertThat(fx.query.list(Optional.empty(), 10)).extracting(v -> v.info().sessionId())
                .containsExactly("busy", "failed", "done");
        assertThat(fx.query.list(Optional.of(SessionStatus.FAILED), 10)).extracting(v -> v.info().sessionId())
                .containsExactly("failed");
        assertThat(fx.query.list(Optional.of(SessionStatus.COMPLETED), 10)).extracting(v -> v.info().sessionId())
                .containsExactly("done");
        assertThat(fx.query.list(Optional.empty(), 2)).hasSize(2);
    }

    @Test
    void configureDisplayPersistsAndRefusesUnknownSessions() {
        touch("s1");
        DisplaySettings settings = new DisplaySettings(true, true, 50L, 3, false);

        assertThat(fx.query.configureDisplay("latest", settings)).isEqualTo(settings);
        assertThat(fx.query.resolve("s1").displaySettings()).isEqualTo(settings);
        RenderOptions options = fx.query.renderOptions(fx.query.resolve("s1"), true, 7);
        assertThat(options.maxDepth()).isEqualTo(3);
        assertThat(options.slowThresholdMs()).isEqualTo(50);
        assertThat(options.collapseFastOps()).isTrue();
        assertThat(options.highlightErrors()).isFalse();
        assertThatThrownBy(() -> fx.query.configureDisplay("nope", settings))
                .isInstanceOf(UnknownSessionException.class);
    }

    @Test
    void toolAnalyticsUsesNearestRankPercentiles() {
        for (int i = 1; i <= 10; i++) {
            fx.call("s", "tool", "r" + i, null, "Read", i * 1_000L, i * 10L, false);
        }
        fx.call("s", "tool", "b1", null, "Bash", 100, 5, true);
        fx.call("s", "tool", "b2", null, "Bash", 200, 7, true);
        fx.call("s", "tool", "b3", null, "Bash", 300, 9, false);
        fx.send("s", "tool_pre_call", "b4", null, "Bash", 400);
        fx.call("s", "mcp", "m1", null, "mcp__gh__search", 500, 40, false);
        fx.send("s", "task_started", "t", null, "not a tool", 0);

        List<ToolStats> stats = fx.query.toolAnalytics("s", null);

        assertThat(stats).extracting(ToolStats::tool).containsExactly("Read", "Bash", "mcp__gh__search");
        ToolStats read = stats.get(0);
        assertThat(read).isEqualTo(new ToolStats("Read", "tool", 10, 0, 0, 0.0, 50, 100, 100, 55, 100));
        ToolStats bash = stats.get(1);
        assertThat(bash).isEqualTo(new ToolStats("Bash", "tool", 4, 2, 1, 0.5, 7, 9, 9, 7, 9));
        assertThat(stats.get(2).kind()).isEqualTo("mcp");
        assertThat(stats.get(2).p50Ms()).isEqualTo(40);

        assertThat(fx.query.toolAnalytics("latest", "Bash")).singleElement()
                .extracting(ToolStats::tool).isEqualTo("Bash");
    }

    @Test
    void toolAnalyticsAcrossAllSessions() {
        for (int i = 1; i <= 20; i++) {
            fx.call(i % 2 == 0 ? "even" : "odd", "tool", "g" + i, null, "Grep", i * 100L, i, false);
        }

        List<ToolStats> stats = fx.query.toolAnalytics(null, "Grep");

        assertThat(stats).singleElement().satisfies(grep -> {
            assertThat(grep.calls()).isEqualTo(20);
            assertThat(grep.p50Ms()).isEqualTo(10);
            assertThat(grep.p95Ms()).isEqualTo(19);
            assertThat(grep.p99Ms()).isEqualTo(20);
            assertThat(grep.maxMs()).isEqualTo(20);
            assertThat(grep.avgMs()).isEqualTo(10); // 210 / 20, integer
        });
        assertThat(fx.query.toolAnalytics("even", "Grep").getFirst().calls()).isEqualTo(10);
        assertThat(fx.query.toolAnalytics(null, "Nothing")).isEmpty();
    }

    @Test
    void nearestRankPercentileEdges() {
        assertThat(ToolAnalytics.percentile(new long[0], 95)).isZero();
        assertThat(ToolAnalytics.percentile(new long[] {7}, 50)).isEqualTo(7);
        assertThat(ToolAnalytics.percentile(new long[] {1, 2, 3, 4}, 50)).isEqualTo(2);
        assertThat(ToolAnalytics.percentile(new long[] {1, 2, 3, 4}, 51)).isEqualTo(3);
        assertThat(ToolAnalytics.percentile(new long[] {1, 2, 3, 4}, 100)).isEqualTo(4);
    }

    @Test
    void eventJsonRoundTripsDetails() {
        fx.send("s", "tool_error", "x", null, "Bash", 0, 3L, Map.of("error", Map.of("message", "boom")));

        var event = fx.query.events("s").getFirst();
        assertThat(fx.eventJson.errorMessage(event)).isEqualTo("boom");
        assertThat(fx.eventJson.event(event)).containsEntry("event_type", "tool_error")
                .containsEntry("correlation_id", "x").containsEntry("duration_ms", 3L)
                .containsEntry("details", Map.of("name", "Bash", "error", Map.of("message", "boom")));
    }
}
