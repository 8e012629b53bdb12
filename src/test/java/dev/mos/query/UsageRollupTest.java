package dev.mos.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tokens and cost rolled up from LLM operations, or from Claude Code's metric points, through the real pipeline. */
class UsageRollupTest {

    private final QueryFixture fx = new QueryFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    /** An LLM call as the OTLP mapper records Claude Code's api_request (numbers as strings, as OTel sends them). */
    private void llm(String session, String id, String parent, String model, Object in, Object out, Object cacheRead,
            Object cacheWrite, Object cost) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("model", model);
        d.put("input_tokens", in);
        d.put("output_tokens", out);
        d.put("cache_read_tokens", cacheRead);
        d.put("cache_creation_tokens", cacheWrite);
        d.put("cost_usd", cost);
        fx.send(session, "llm_request", id, parent, model, 10, null, Map.of("source", "otel"));
        fx.send(session, "llm_response", id, parent, model, 20, 10L, d);
    }

    private void metric(String session, String metric, Object value, String model, String type) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("source", "otel_metric");
        d.put("metric", metric);
        d.put("value", value);
        d.put("model", model);
        if (type != null) {
            d.put("type", type);
        }
        fx.send(session, "task_progress", null, null, metric, 5, null, d);
    }

    @Test
    void llmOperationsSumPerModelAndPerNearestSubagent() {
        fx.send("s", "task_started", "T", null, "Fix it", 0);
        llm("s", "r1", "T", "claude-sonnet-4-5", 1000, 200, 5000, 100, 0.0125);
        llm("s", "r2", "T", "claude-sonnet-4-5", "300", "50", "0", "0", "0.0025");
        fx.send("s", "subagent_spawn", "A", "T", "Explore", 30);
        fx.send("s", "tool_pre_call", "tool-in-A", "A", "Read", 31);
        llm("s", "r3", "tool-in-A", "claude-haiku-4-5", 40, 10, 0, 0, "0.0001");
        fx.send("s", "subagent_spawn", "B", "A", "Plan", 40);
        llm("s", "r4", "B", "claude-haiku-4-5", 60, 20, 0, 0, 0.0003);
        metric("s", "claude_code.cost.usage", 99.0, "claude-sonnet-4-5", null); // ignored: calls were seen

        SessionUsage u = fx.query.view("s").usage();

        assertThat(u.source()).isEqualTo(SessionUsage.FROM_LLM_OPERATIONS);
        assertThat(u.llmCalls()).isEqualTo(4);
        assertThat(u.total().inputTokens()).isEqualTo(1400);
        assertThat(u.total().outputTokens()).isEqualTo(280);
        assertThat(u.total().cacheReadTokens()).isEqualTo(5000);
        assertThat(u.total().cacheCreationTokens()).isEqualTo(100);
        assertThat(u.total().costUsd()).isCloseTo(0.0154, within(1e-9));
        assertThat(u.byModel()).containsOnlyKeys("claude-haiku-4-5", "claude-sonnet-4-5");
        assertThat(u.byModel().get("claude-sonnet-4-5").inputTokens()).isEqualTo(1300);
        assertThat(u.byModel().get("claude-haiku-4-5").costUsd()).isCloseTo(0.0004, within(1e-9));
        assertThat(u.bySubagent()).containsOnlyKeys("main", "A", "B");
        assertThat(u.bySubagent().get("main").usage().inputTokens()).isEqualTo(1300);
        assertThat(u.bySubagent().get("A").name()).isEqualTo("Explore");
        assertThat(u.bySubagent().get("A").usage().inputTokens()).as("nested under a tool of A").isEqualTo(40);
        assertThat(u.bySubagent().get("B").name()).isEqualTo("Plan");
        assertThat(u.bySubagent().get("B").usage().outputTokens()).as("nearest subagent, not A").isEqualTo(20);

        Map<String, Object> json = SessionJson.usage(u);
        assertThat(json).containsEntry("input_tokens", 1400L).containsEntry("cost_usd", 0.0154)
                .containsEntry("source", "llm_operations").containsKeys("by_model", "by_subagent");
        assertThat(SessionJson.usageLine(u)).contains("6,780 tokens").contains("$0.0154")
                .contains("claude-sonnet-4-5 $0.0150");
    }

    @Test
    void withoutLlmOperationsMetricPointsAreSummed() {
        metric("m", "claude_code.token.usage", 1200, "claude-opus-4-1", "input");
        metric("m", "claude_code.token.usage", "300", "claude-opus-4-1", "output");
        metric("m", "claude_code.token.usage", 4000, "claude-opus-4-1", "cacheRead");
        metric("m", "claude_code.token.usage", 70, "claude-haiku-4-5", "cacheCreation");
        metric("m", "claude_code.cost.usage", "0.25", "claude-opus-4-1", null);
        metric("m", "claude_code.cost.usage", 0.01, "claude-haiku-4-5", null);
        metric("m", "claude_code.session.count", 1, "claude-opus-4-1", null); // another metric: not usage
        fx.send("m", "task_progress", null, null, "unrelated", 6, null, Map.of("source", "otel", "value", 5));

        SessionUsage u = fx.query.view("m").usage();

        assertThat(u.source()).isEqualTo(SessionUsage.FROM_OTEL_METRICS);
        assertThat(u.llmCalls()).isZero();
        assertThat(u.total()).isEqualTo(new TokenUsage(1200, 300, 4000, 70, 0.26));
        assertThat(u.byModel().get("claude-opus-4-1")).isEqualTo(new TokenUsage(1200, 300, 4000, 0, 0.25));
        assertThat(u.byModel().get("claude-haiku-4-5")).isEqualTo(new TokenUsage(0, 0, 0, 70, 0.01));
        assertThat(u.bySubagent()).containsOnlyKeys("main");
    }

    @Test
    void aSessionThatReportedNothingHasNoUsage() {
        fx.demoSession("plain");
        assertThat(fx.query.view("plain").usage()).isNull();
        assertThat(SessionJson.summary(fx.query.view("plain"), fx.clock.millis())).containsEntry("usage", null)
                .containsEntry("project", null);
        assertThat(SessionJson.usageLine(null)).isEqualTo("tokens and cost: not reported");
    }

    @Test
    void unreadableNumbersCountAsZeroAndAMissingModelIsTheOperationName() {
        fx.send("u", "llm_request", "r", null, null, 0, null, Map.of("input_tokens", "many"));
        fx.send("u", "llm_response", "r", null, null, 5, 5L, Map.of("output_tokens", 7.0, "cost_usd", "NaN"));

        SessionUsage u = fx.query.view("u").usage();

        assertThat(u.total()).isEqualTo(new TokenUsage(0, 7, 0, 0, 0));
        assertThat(u.byModel()).containsOnlyKeys("unknown");
    }

    @Test
    void usageIsComputedOncePerTreeAndFollowsNewEvents() {
        llm("c", "r1", null, "m1", 1, 1, 0, 0, 0.5);
        SessionView first = fx.query.view("c");
        assertThat(first.usage()).isSameAs(fx.query.view("c").usage()).as("cached with the tree");
        llm("c", "r2", null, "m1", 1, 1, 0, 0, 0.25);
        assertThat(fx.query.view("c").usage().total().costUsd()).isEqualTo(0.75);
    }

    @Test
    void theProjectComesFromTheFirstCwdAndFiltersTheList() {
        fx.send("p1", "task_started", "T", null, "Prompt", 0, null, Map.of("cwd", "/home/u/app"));
        fx.send("p2", "task_started", "T", null, "Prompt", 0, null, Map.of("project", "billing"));
        fx.send("p3", "task_started", "T", null, "Prompt", 0);

        assertThat(fx.query.view("p1").project()).isEqualTo("/home/u/app");
        assertThat(fx.query.list(new SessionFilter("billing", null, null, null, null, null, null), 10)).extracting(v -> v.info().sessionId())
                .containsExactly("p2");
        assertThat(fx.query.list(new SessionFilter("/home/u", null, null, null, null, null, null), 10)).as("exact match only").isEmpty();
        assertThat(fx.query.list(SessionFilter.ALL, 10)).hasSize(3);
        assertThat(SessionJson.summary(fx.query.view("p2"), fx.clock.millis())).containsEntry("project", "billing");
        assertThat(List.of(fx.query.view("p3").project() == null)).containsExactly(true);
    }

    @Test
    @SuppressWarnings("unchecked")
    void usageRollsUpAcrossSessionsPerCodingAgentAndModelAndTheListFiltersByAgent() {
        fx.send("cc", "task_started", "T", null, "Prompt", 0, null, Map.of("agent", "claude-code"));
        llm("cc", "r1", "T", "claude-opus-4", 100, 10, 5, 0, 0.5);
        fx.send("cx", "task_started", "T", null, "Prompt", 0, null, Map.of("agent", "codex"));
        llm("cx", "r1", "T", "gpt-5", 200, 20, 0, 0, 0.25);
        llm("cx", "r2", "T", "gpt-5", 50, 5, 0, 0, 0.25);
        fx.send("none", "task_started", "T", null, "Prompt", 0);

        Map<String, Object> all = new UsageAnalytics(fx.query).of(SessionFilter.ALL);
        assertThat(all).containsEntry("sessions", 3).containsEntry("sessions_with_usage", 2)
                .containsEntry("llm_calls", 3L);
        assertThat((Map<String, Object>) all.get("total")).containsEntry("input_tokens", 350L)
                .containsEntry("cost_usd", 1.0);
        Map<String, Map<String, Object>> byAgent = (Map<String, Map<String, Object>>) all.get("by_agent");
        assertThat(byAgent).containsOnlyKeys("claude-code", "codex", "unknown");
        assertThat(byAgent.get("codex")).containsEntry("sessions", 1).containsEntry("llm_calls", 2L)
                .containsEntry("input_tokens", 250L).containsEntry("cost_usd", 0.5);
        assertThat((Map<String, Object>) byAgent.get("codex").get("by_model")).containsOnlyKeys("gpt-5");
        assertThat(byAgent.get("unknown")).containsEntry("sessions", 1).containsEntry("cost_usd", 0.0);
        assertThat((Map<String, Object>) all.get("by_model")).containsOnlyKeys("claude-opus-4", "gpt-5");

        SessionFilter codex = new SessionFilter(null, null, "codex", null, null, null, null);
        assertThat(fx.query.list(codex, 10)).extracting(v -> v.info().sessionId()).containsExactly("cx");
        assertThat(new UsageAnalytics(fx.query).of(codex)).containsEntry("sessions", 1);
        assertThat(SessionJson.summary(fx.query.view("cx"), fx.clock.millis())).containsEntry("agent", "codex");
    }
}
