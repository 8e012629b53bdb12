package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.json.schema.jackson3.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A session's project and usage (tokens, cost per model and subagent) end to end against the packaged server on
 * SQLite: events logged through the real MCP client's log_event, read back over REST (session, list, project
 * filter) and through list_sessions, get_activity_tree and export_session, whose structured content is checked
 * against the output schema each tool advertises; then the project survives a restart.
 */
class SessionUsageIT {

    private static final String SHOP = "/srv/projects/shop";

    private static Map<String, Object> event(String session, String type, String correlation, String parent,
            Map<String, Object> details) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("session_id", session);
        e.put("event_type", type);
        if (correlation != null) {
            e.put("correlation_id", correlation);
        }
        if (parent != null) {
            e.put("parent_id", parent);
        }
        e.put("details", details);
        return e;
    }

    /** An api_request as the OTLP mapper records it: attributes as strings, as Claude Code's OTel sends them. */
    private static List<Map<String, Object>> llm(String session, String id, String parent, String model, String in,
            String out, String cacheRead, String cacheWrite, String cost) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", model);
        d.put("source", "otel");
        d.put("model", model);
        d.put("input_tokens", in);
        d.put("output_tokens", out);
        d.put("cache_read_tokens", cacheRead);
        d.put("cache_creation_tokens", cacheWrite);
        d.put("cost_usd", cost);
        return List.of(event(session, "llm_request", id, parent, Map.of("name", model, "source", "otel")),
                event(session, "llm_response", id, parent, d));
    }

    private static Map<String, Object> metric(String session, String metric, Object value, String type) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", metric);
        d.put("source", "otel_metric");
        d.put("metric", metric);
        d.put("value", value);
        d.put("model", "claude-opus-4-1");
        if (type != null) {
            d.put("type", type);
        }
        d.put("project", "metrics-only");
        return event(session, "task_progress", null, null, d);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> structured(McpSchema.CallToolResult r) {
        assertThat(r.isError()).as("tool error: %s", r.content()).isFalse();
        return (Map<String, Object>) r.structuredContent();
    }

    private static String text(McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().getFirst()).text();
    }

    @Test
    void projectAndUsageReachRestMcpAndExportAndTheProjectSurvivesARestart() throws Exception {
        Path data = Files.createTempDirectory("mos-usage-it");
        Map<String, String> env = Map.of("MCP_DATA_DIR", data.toString());
        try (MosProcess mos = MosProcess.serve(env)) {
            McpSyncClient client = McpHttpIT.connect(mos.baseUrl(), new ArrayList<>());
            try {
                List<Map<String, Object>> events = new ArrayList<>();
                events.add(event("u-shop", "task_started", "prompt:1", null,
                        Map.of("name", "Add a cart", "cwd", SHOP)));
                events.addAll(llm("u-shop", "req_1", "prompt:1", "claude-sonnet-4-5", "1000", "200", "5000", "100",
                        "0.0125"));
                events.add(event("u-shop", "subagent_spawn", "toolu_agent", "prompt:1",
                        Map.of("name", "Explore", "cwd", "/elsewhere")));
                events.addAll(llm("u-shop", "req_2", "toolu_agent", "claude-haiku-4-5", "300", "100", "0", "0",
                        "0.0004"));
                events.add(metric("u-shop", "claude_code.cost.usage", 5.0, null)); // LLM calls seen: not added
                events.add(metric("u-metrics", "claude_code.token.usage", 700, "input"));
                events.add(metric("u-metrics", "claude_code.token.usage", "90", "output"));
                events.add(metric("u-metrics", "claude_code.cost.usage", "0.03", null));
                events.add(event("u-plain", "task_started", "t", null, Map.of("name", "Nothing billed")));
                Map<String, Object> logged = structured(client.callTool(new McpSchema.CallToolRequest("log_event",
                        Map.of("events", events))));
                assertThat(((Number) logged.get("rejected")).intValue()).as("%s", logged).isZero();

                // REST: one session, the list, the project filter
                JsonNode shop = Http.get(mos.baseUrl() + "/api/v1/sessions/u-shop").json();
                assertThat(shop.get("project").asString()).as("the first cwd named").isEqualTo(SHOP);
                JsonNode usage = shop.get("usage");
                assertThat(usage.get("input_tokens").asLong()).isEqualTo(1300);
                assertThat(usage.get("output_tokens").asLong()).isEqualTo(300);
                assertThat(usage.get("cache_read_tokens").asLong()).isEqualTo(5000);
                assertThat(usage.get("cache_creation_tokens").asLong()).isEqualTo(100);
                assertThat(usage.get("cost_usd").asDouble()).isEqualTo(0.0129);
                assertThat(usage.get("source").asString()).isEqualTo("llm_operations");
                assertThat(usage.get("by_model").get("claude-haiku-4-5").get("cost_usd").asDouble())
                        .isEqualTo(0.0004);
                assertThat(usage.get("by_subagent").get("main").get("input_tokens").asLong()).isEqualTo(1000);
                assertThat(usage.get("by_subagent").get("toolu_agent").get("name").asString()).isEqualTo("Explore");
                assertThat(usage.get("by_subagent").get("toolu_agent").get("input_tokens").asLong()).isEqualTo(300);

                JsonNode metrics = Http.get(mos.baseUrl() + "/api/v1/sessions/u-metrics").json();
                assertThat(metrics.get("project").asString()).isEqualTo("metrics-only");
                assertThat(metrics.get("usage").get("source").asString()).isEqualTo("otel_metrics");
                assertThat(metrics.get("usage").get("input_tokens").asLong()).isEqualTo(700);
                assertThat(metrics.get("usage").get("output_tokens").asLong()).isEqualTo(90);
                assertThat(metrics.get("usage").get("cost_usd").asDouble()).isEqualTo(0.03);
                JsonNode plain = Http.get(mos.baseUrl() + "/api/v1/sessions/u-plain").json();
                assertThat(plain.get("usage").isNull()).isTrue();
                assertThat(plain.get("project").isNull()).isTrue();

                JsonNode list = Http.get(mos.baseUrl() + "/api/v1/sessions").json();
                assertThat(list.get("total").asInt()).isEqualTo(3);
                JsonNode filtered = Http.get(mos.baseUrl() + "/api/v1/sessions?project=%2Fsrv%2Fprojects%2Fshop")
                        .json();
                assertThat(filtered.get("total").asInt()).isEqualTo(1);
                assertThat(filtered.get("sessions").get(0).get("session_id").asString()).isEqualTo("u-shop");
                assertThat(filtered.get("sessions").get(0).get("usage").get("cost_usd").asDouble())
                        .isEqualTo(0.0129);
                assertThat(Http.get(mos.baseUrl() + "/api/v1/sessions?project=%2Fsrv").json().get("total").asInt())
                        .as("exact match only").isZero();
                assertThat(Http.get(mos.baseUrl() + "/api/v1/sessions?q=projects%2Fsh").json().get("total")
                        .asInt()).as("text search includes the project").isEqualTo(1);

                // MCP: structured content and text, checked against each tool's advertised output schema
                JsonSchemaValidator validator = new DefaultJsonSchemaValidator(Http.JSON);
                Map<String, Map<String, Object>> schemas = new LinkedHashMap<>();
                client.listTools().tools().forEach(t -> schemas.put(t.name(), t.outputSchema()));

                McpSchema.CallToolResult listed = client.callTool(new McpSchema.CallToolRequest("list_sessions",
                        Map.of("project", SHOP)));
                Map<String, Object> listedJson = structured(listed);
                assertThat(validator.validate(schemas.get("list_sessions"), listedJson).valid()).isTrue();
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> sessions = (List<Map<String, Object>>) listedJson.get("sessions");
                assertThat(sessions).extracting(s -> s.get("session_id")).containsExactly("u-shop");
                assertThat(text(listed)).contains("project " + SHOP).contains("$0.0129").contains("6,700 tokens");
                Map<String, Object> all = structured(client.callTool(new McpSchema.CallToolRequest("list_sessions",
                        Map.of())));
                assertThat(validator.validate(schemas.get("list_sessions"), all).valid())
                        .as("null usage and project fit the schema").isTrue();

                for (String format : List.of("json", "claude_code_style")) {
                    McpSchema.CallToolResult tree = client.callTool(new McpSchema.CallToolRequest(
                            "get_activity_tree", Map.of("session_id", "u-shop", "format", format)));
                    Map<String, Object> treeJson = structured(tree);
                    assertThat(validator.validate(schemas.get("get_activity_tree"), treeJson).valid()).as(format)
                            .isTrue();
                    assertThat(treeJson).containsEntry("project", SHOP);
                    @SuppressWarnings("unchecked")
                    Map<String, Object> treeUsage = (Map<String, Object>) treeJson.get("usage");
                    assertThat(((Number) treeUsage.get("cost_usd")).doubleValue()).isEqualTo(0.0129);
                    if (!format.equals("json")) {
                        assertThat(text(tree)).contains("Project " + SHOP).contains("Usage 6,700 tokens")
                                .contains("claude-haiku-4-5 $0.0004");
                    }
                }
                McpSchema.CallToolResult exported = client.callTool(new McpSchema.CallToolRequest("export_session",
                        Map.of("session_id", "u-shop", "format", "json")));
                Map<String, Object> exportJson = structured(exported);
                assertThat(validator.validate(schemas.get("export_session"), exportJson).valid()).isTrue();
                assertThat(text(exported)).contains("\"project\" : \"" + SHOP + "\"").contains("\"cost_usd\" : 0.0129");
                String exportText = text(client.callTool(new McpSchema.CallToolRequest("export_session",
                        Map.of("session_id", "u-shop", "format", "text"))));
                assertThat(exportText).contains("Project " + SHOP).contains("Usage 6,700 tokens");
            } finally {
                client.closeGracefully();
            }
            assertThat(mos.terminate(Duration.ofSeconds(30))).isZero();
        }
        try (MosProcess again = MosProcess.serve(env)) {
            JsonNode filtered = Http.get(again.baseUrl() + "/api/v1/sessions?project=%2Fsrv%2Fprojects%2Fshop")
                    .json();
            assertThat(filtered.get("total").asInt()).as("project kept across a restart").isEqualTo(1);
            assertThat(filtered.get("sessions").get(0).get("usage").get("cost_usd").asDouble()).isEqualTo(0.0129);
        }
    }
}
