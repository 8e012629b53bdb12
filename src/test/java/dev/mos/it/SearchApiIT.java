package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Search across sessions through the packaged server on its default store (SQLite FTS5, kept in the background),
 * over REST and the search_operations MCP tool, fed by hook posts shaped as Claude Code sends them.
 */
class SearchApiIT {

    private static MosProcess mos;

    @BeforeAll
    static void start() throws Exception {
        mos = MosProcess.serve(Map.of());
        hook("alpha", "{\"prompt_id\":\"p1\",\"hook_event_name\":\"UserPromptSubmit\",\"prompt\":\"Fix the flaky checkout test\"}");
        hook("alpha", "{\"prompt_id\":\"p1\",\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\",\"tool_input\":"
                + "{\"command\":\"npm run test:checkout\"},\"tool_use_id\":\"toolu_a1\"}");
        hook("alpha", "{\"prompt_id\":\"p1\",\"hook_event_name\":\"PostToolUseFailure\",\"tool_name\":\"Bash\","
                + "\"tool_input\":{\"command\":\"npm run test:checkout\"},\"tool_use_id\":\"toolu_a1\","
                + "\"error\":\"TimeoutError: payment iframe never loaded\"}");
        hook("beta", "{\"prompt_id\":\"p2\",\"hook_event_name\":\"UserPromptSubmit\",\"prompt\":\"Document the checkout flow\"}");
        hook("beta", "{\"prompt_id\":\"p2\",\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Read\",\"tool_input\":"
                + "{\"file_path\":\"/w/docs/checkout.md\"},\"tool_use_id\":\"toolu_b1\"}");
        hook("beta", "{\"prompt_id\":\"p2\",\"hook_event_name\":\"PostToolUse\",\"tool_name\":\"Read\",\"tool_input\":"
                + "{\"file_path\":\"/w/docs/checkout.md\"},\"tool_use_id\":\"toolu_b1\",\"tool_response\":\"# Checkout\"}");
        // gamma: a costly prompt with a subagent, a cheap one; over log_event, as any MCP client sends them
        String head = "{\"session_id\": \"gamma\", \"event_type\": ";
        Http.Response r = Http.call(mos.baseUrl(), "log_event", "{\"events\": ["
                + head + "\"task_started\", \"correlation_id\": \"T1\", \"details\": {\"name\": \"Refactor checkout totals\"}},"
                + head + "\"llm_request\", \"correlation_id\": \"L1\", \"parent_id\": \"T1\", \"details\": {\"name\": \"claude-opus-4\"}},"
                + head + "\"llm_response\", \"correlation_id\": \"L1\", \"details\": {\"cost_usd\": 0.42}},"
                + head + "\"subagent_spawn\", \"correlation_id\": \"S1\", \"parent_id\": \"T1\", \"details\": {\"name\": \"Explore\","
                + " \"subagent_type\": \"Explore\", \"description\": \"Survey the checkout code\"}},"
                + head + "\"tool_pre_call\", \"correlation_id\": \"G1\", \"parent_id\": \"S1\", \"details\": {\"name\": \"Grep\","
                + " \"tool_input\": \"{\\\"pattern\\\": \\\"checkoutTotal\\\"}\"}},"
                + head + "\"tool_post_call\", \"correlation_id\": \"G1\", \"status\": \"success\"},"
                + head + "\"subagent_complete\", \"correlation_id\": \"S1\"},"
                + head + "\"task_complete\", \"correlation_id\": \"T1\"},"
                + head + "\"task_started\", \"correlation_id\": \"T2\", \"details\": {\"name\": \"Rename checkout label\"}},"
                + head + "\"llm_request\", \"correlation_id\": \"L2\", \"parent_id\": \"T2\", \"details\": {\"name\": \"claude-haiku-4\"}},"
                + head + "\"llm_response\", \"correlation_id\": \"L2\", \"details\": {\"cost_usd\": 0.01}},"
                + head + "\"task_complete\", \"correlation_id\": \"T2\"}]}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        mos.close();
    }

    private static void hook(String session, String body) throws Exception {
        Http.Response r = Http.post(mos.baseUrl() + "/hooks", "{\"session_id\":\"" + session + "\",\"cwd\":\"/w/"
                + session + "\"," + body.substring(1), "Content-Type", "application/json");
        assertThat(r.status()).as(r.body()).isBetween(200, 204);
    }

    private static JsonNode search(String query) throws Exception {
        Http.Response r = Http.get(mos.baseUrl() + "/api/v1/search?" + query);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    @Test
    void wordsFromPromptsCommandsErrorsAndPathsFindTheirOperationsInEverySession() throws Exception {
        JsonNode hits = search("q=checkout").path("hits");
        assertThat(hits.size()).isGreaterThanOrEqualTo(4);
        assertThat(hits.valueStream().map(h -> h.path("session_id").asString()).distinct())
                .containsExactlyInAnyOrder("alpha", "beta", "gamma");

        JsonNode error = search("q=iframe+payment").path("hits");
        assertThat(error.size()).isEqualTo(1);
        assertThat(error.get(0).path("session_id").asString()).isEqualTo("alpha");
        assertThat(error.get(0).path("operation_id").asString()).isEqualTo("toolu_a1");
        assertThat(error.get(0).path("title").asString()).isEqualTo("Bash · npm run test:checkout");
        assertThat(error.get(0).path("status").asString()).isEqualTo("error");
        assertThat(error.get(0).path("session_title").asString()).isEqualTo("Fix the flaky checkout test");
        assertThat(error.get(0).path("match").asString()).contains("payment iframe");

        assertThat(search("q=checkout&tool=Read").path("hits").valueStream()
                .map(h -> h.path("operation_id").asString())).containsExactly("toolu_b1");
        assertThat(search("q=checkout&status=error").path("hits").valueStream()
                .map(h -> h.path("operation_id").asString())).containsExactly("toolu_a1");
        assertThat(search("q=checkout&kind=task&project=/w/beta").path("hits").valueStream()
                .map(h -> h.path("session_id").asString())).containsExactly("beta");
        assertThat(search("q=nothing-like-this").path("hits").size()).isZero();
    }

    @Test
    void searchesNarrowByTheSubagentAnOperationRanInTheSessionsAgentAndWhatItCost() throws Exception {
        assertThat(ids("q=checkout&min_cost_usd=0.1&kind=task")).containsExactly("gamma/T1");
        assertThat(ids("q=checkout&min_cost_usd=0.005&kind=task")).containsExactlyInAnyOrder("gamma/T1", "gamma/T2");
        assertThat(ids("q=checkout&subagent=Explore")).containsExactlyInAnyOrder("gamma/S1", "gamma/G1");
        assertThat(ids("q=checkout&subagent=survey")).as("part of the description").contains("gamma/G1");
        assertThat(ids("q=checkout&subagent=main")).doesNotContain("gamma/S1", "gamma/G1").contains("gamma/T1",
                "alpha/toolu_a1");

        assertThat(ids("q=checkout&agent=claude-code").stream().map(id -> id.split("/")[0]).distinct())
                .as("the hooks' sessions are Claude Code's; gamma's log_event named no agent")
                .containsExactlyInAnyOrder("alpha", "beta");
        assertThat(search("q=checkout&agent=codex").path("hits").size()).isZero();

        Http.Response badCost = Http.get(mos.baseUrl() + "/api/v1/search?q=x&min_cost_usd=cheap");
        assertThat(badCost.status()).isEqualTo(400);
        assertThat(badCost.body()).contains("min_cost_usd").contains("cheap").doesNotContain("Exception");
        Http.Response mcp = Http.call(mos.baseUrl(), "search_operations",
                "{\"query\": \"checkout\", \"subagent\": \"Explore\", \"min_cost_usd\": 0}");
        assertThat(mcp.status()).as(mcp.body()).isEqualTo(200);
        assertThat(mcp.body()).contains("G1").doesNotContain("toolu_a1");
    }

    private static java.util.List<String> ids(String query) throws Exception {
        JsonNode hits = search(query).path("hits");
        return hits.valueStream().map(h -> h.path("session_id").asString() + "/" + h.path("operation_id").asString())
                .toList();
    }

    @Test
    void theMcpToolAnswersTheSameAndBadSearchesAreNamed() throws Exception {
        Http.Response r = Http.call(mos.baseUrl(), "search_operations", "{\"query\": \"iframe\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("toolu_a1").contains("alpha");

        Http.Response missing = Http.get(mos.baseUrl() + "/api/v1/search");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body()).contains("q:");
        Http.Response badKind = Http.get(mos.baseUrl() + "/api/v1/search?q=x&kind=spaceship");
        assertThat(badKind.status()).isEqualTo(400);
        assertThat(badKind.body()).contains("kind").doesNotContain("Exception");
    }
}
