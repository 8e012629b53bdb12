package dev.mos.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.store.SessionInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One operation's details as each channel reports them: hooks, OTLP, log_event. */
class OperationDetailsTest {

    private final QueryFixture fx = new QueryFixture();
    private final OperationDetails details = new OperationDetails(fx.eventJson);

    @AfterEach
    void close() {
        fx.close();
    }

    private Map<String, Object> operation(String id) {
        SessionInfo info = fx.query.resolve("s");
        return details.find(fx.query.tree(info), id, fx.query.renderOptions(info, true, null)).orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> facts(Map<String, Object> operation) {
        return (Map<String, Object>) operation.get("details");
    }

    @Test
    void aFailedHookBashShowsItsCommandAsInputItsErrorAndBothEvents() {
        fx.send("s", "task_started", "T", null, "Run the build", 0, null, Map.of("prompt", "Run the build\nplease"));
        fx.send("s", "tool_pre_call", "B", "T", "Bash", 10, null,
                Map.of("tool_input", "{\"command\":\"make all\\nmake test\",\"description\":\"Build\"}", "cwd", "/w"));
        fx.send("s", "tool_error", "B", "T", "Bash", 50, 40L, Map.of("error", "make: *** No rule"));

        Map<String, Object> bash = operation("B");

        assertThat(bash).containsEntry("kind", "tool").containsEntry("status", "error")
                .containsEntry("title", "Bash · make all").containsEntry("parent_id", "T")
                .containsEntry("error", "make: *** No rule").containsEntry("duration_ms", 40L);
        Map<String, Object> facts = facts(bash);
        assertThat(facts.get("input")).isEqualTo(Map.of("command", "make all\nmake test", "description", "Build"));
        assertThat(facts).containsEntry("error", "make: *** No rule").doesNotContainKeys("model", "tokens");
        assertThat(facts.get("attributes")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("cwd", "/w");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> events = (List<Map<String, Object>>) bash.get("events");
        assertThat(events).hasSize(2);
        assertThat(events).extracting(e -> e.get("event_type")).containsExactly("tool_pre_call",
                "tool_error");
        assertThat(facts(operation("T"))).containsEntry("prompt_excerpt", "Run the build\nplease");
    }

    @Test
    void aModelCallShowsItsModelTokensCostAndTimeToFirstTokenAsNumbers() {
        fx.send("s", "llm_response", "L", null, "claude-opus-4", 100, 900L, Map.of("model", "claude-opus-4",
                "input_tokens", "1200", "output_tokens", 345, "cache_read_tokens", "10", "cost_usd", "0.0125",
                "ttft_ms", "420"));

        Map<String, Object> facts = facts(operation("L"));

        assertThat(facts).containsEntry("model", "claude-opus-4").containsEntry("cost_usd", 0.0125)
                .containsEntry("ttft_ms", 420L);
        assertThat(facts.get("tokens")).isEqualTo(Map.of("input", 1200L, "output", 345, "cache_read", 10L));
    }

    @Test
    void mcpCallsNameTheirServerAndToolAndSubagentsTheirDescriptionAndType() {
        fx.send("s", "mcp_request", "M", null, "mcp__github__search_issues", 0, null,
                Map.of("tool_input", "{\"query\":\"flaky test\"}"));
        fx.send("s", "mcp_response", "M", null, null, 30, 30L, Map.of("tool_response", "[{\"id\":7}]"));
        fx.send("s", "tool_pre_call", "A", null, "Agent", 40, null, Map.of("tool_input",
                "{\"description\":\"Audit config\",\"subagent_type\":\"general-purpose\",\"prompt\":\"Look\"}"));

        Map<String, Object> mcp = operation("M");
        assertThat(facts(mcp)).containsEntry("mcp_server", "github").containsEntry("mcp_tool", "search_issues")
                .containsEntry("output_excerpt", "[{\"id\":7}]");
        assertThat(mcp).containsEntry("title", "mcp__github__search_issues · flaky test");
        Map<String, Object> agent = operation("A");
        assertThat(facts(agent)).containsEntry("subagent_description", "Audit config")
                .containsEntry("subagent_type", "general-purpose");
        assertThat(agent).containsEntry("title", "Audit config · general-purpose");
    }

    @Test
    void anUnknownOperationIsEmptyAndAnOutputBeyondTheExcerptIsCut() {
        fx.send("s", "tool_post_call", "R", null, "Read", 0, 5L,
                Map.of("tool_response", "x".repeat(OperationFacts.MAX_OUTPUT_CHARS + 50)));
        SessionInfo info = fx.query.resolve("s");
        assertThat(details.find(fx.query.tree(info), "nope", fx.query.renderOptions(info, true, null))).isEmpty();
        assertThat((String) facts(operation("R")).get("output_excerpt")).hasSize(OperationFacts.MAX_OUTPUT_CHARS + 1)
                .endsWith("…");
    }

    @Test
    void aSessionIsTitledByItsFirstPromptElseItsProjectFolderAndToolNodesByTheirInput() {
        fx.send("s", "tool_pre_call", "B", null, "Bash", 0, null, Map.of("tool_input", "{\"command\":\"ls -la\"}"));
        SessionInfo info = fx.query.resolve("s");
        assertThat(OperationTitles.sessionTitle(fx.query.tree(info), "/home/dev/shop/", null)).isEqualTo("shop");
        assertThat(OperationTitles.sessionTitle(fx.query.tree(info), "/home/dev/shop", "fix/login"))
                .isEqualTo("shop · fix/login");
        assertThat(OperationTitles.sessionTitle(fx.query.tree(info), null, "main")).isEqualTo("main");
        assertThat(OperationTitles.sessionTitle(fx.query.tree(info), null, null)).isNull();
        List<Map<String, Object>> compact = new TreeJson(fx.eventJson).compactRoots(fx.query.tree(info),
                fx.query.renderOptions(info, true, null));
        assertThat(compact.getFirst()).containsEntry("title", "Bash · ls -la");
        assertThat(fx.treeText.render(fx.query.tree(info), fx.query.renderOptions(info, true, null),
                TextStyle.PLAIN)).as("the text tree (mos tail) names it alike").contains("[tool] Bash · ls -la (");

        fx.send("s", "task_started", "T", null, "Fix the login bug", 10, null, Map.of("prompt", "Fix the login bug"));
        info = fx.query.resolve("s");
        assertThat(OperationTitles.sessionTitle(fx.query.tree(info), "/home/dev/shop", "main"))
                .isEqualTo("Fix the login bug");
    }
}
