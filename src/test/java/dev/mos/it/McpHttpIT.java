package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The packaged server over real Streamable HTTP, driven by the MCP SDK's client and plain HTTP. */
class McpHttpIT {

    private static MosProcess mos;
    private static McpSyncClient client;

    @BeforeAll
    static void start() throws Exception {
        mos = MosProcess.serve(Map.of("MCP_LOG_LEVEL", "info"));
        client = connect(mos.baseUrl(), List.of());
    }

    static McpSyncClient connect(String baseUrl, List<McpSchema.ProgressNotification> progress) {
        McpSyncClient c = McpClient.sync(HttpClientStreamableHttpTransport.builder(baseUrl).endpoint("/mcp").build())
                .requestTimeout(Duration.ofSeconds(30))
                .progressConsumer(progress::add)
                .build();
        c.initialize();
        return c;
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.closeGracefully();
        }
        if (mos != null) {
            mos.close();
        }
    }

    private static McpSchema.CallToolResult call(McpSyncClient c, String tool, Map<String, Object> args) {
        return c.callTool(new McpSchema.CallToolRequest(tool, args));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> structured(McpSchema.CallToolResult result) {
        assertThat(result.isError()).as("tool error: %s", result.content()).isFalse();
        return (Map<String, Object>) result.structuredContent();
    }

    private static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().getFirst()).text();
    }

    private static Map<String, Object> event(String session, String type, Map<String, Object> extra) {
        Map<String, Object> e = new java.util.LinkedHashMap<>(Map.of("session_id", session, "event_type", type));
        e.putAll(extra);
        return Map.of("event", e);
    }

    @Test
    void listsEveryToolWithOutputSchemaAndTruthfulAnnotations() {
        List<McpSchema.Tool> tools = client.listTools().tools();
        assertThat(tools.stream().map(McpSchema.Tool::name).collect(Collectors.toSet())).isEqualTo(Set.of(
                "log_event", "get_activity_tree", "configure_display", "export_session", "stream_activity",
                "get_health_status", "list_sessions", "get_tool_analytics", "search_operations", "delete_session",
                "configure_otel_export"));
        for (McpSchema.Tool tool : tools) {
            assertThat(tool.outputSchema()).as(tool.name()).isNotNull();
            boolean writes = tool.name().equals("log_event") || tool.name().equals("configure_display")
                    || tool.name().equals("delete_session") || tool.name().equals("configure_otel_export");
            assertThat(tool.annotations().readOnlyHint()).as(tool.name()).isEqualTo(!writes);
            assertThat(tool.annotations().destructiveHint()).as(tool.name())
                    .isEqualTo(tool.name().equals("delete_session"));
            // only the export tool reaches outside MOS (it sends sessions where the caller says)
            assertThat(tool.annotations().openWorldHint()).as(tool.name())
                    .isEqualTo(tool.name().equals("configure_otel_export"));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void startAndEndBecomeOneOperationNestedUnderItsParent() {
        String s = "http-tree";
        Map<String, Object> task = structured(call(client, "log_event", event(s, "task_started",
                Map.of("details", Map.of("name", "Fix the build")))));
        String taskId = (String) task.get("id");
        assertThat(taskId).startsWith("evt_");
        assertThat(((Number) task.get("sequence")).longValue()).isEqualTo(1);
        call(client, "log_event", event(s, "tool_pre_call", Map.of("correlation_id", "toolu_1", "parent_id", taskId,
                "details", Map.of("name", "Read"))));
        call(client, "log_event", event(s, "tool_post_call", Map.of("correlation_id", "toolu_1", "duration_ms", 812,
                "details", Map.of("name", "Read"))));
        call(client, "log_event", event(s, "tool_error", Map.of("parent_id", taskId, "duration_ms", 5,
                "details", Map.of("name", "Bash", "error", "exit code 2"))));

        Map<String, Object> json = structured(call(client, "get_activity_tree", Map.of("session_id", s,
                "format", "json")));
        assertThat(json.get("operation_count")).isEqualTo(3);
        List<Map<String, Object>> roots = (List<Map<String, Object>>) json.get("tree");
        assertThat(roots).hasSize(1);
        Map<String, Object> root = roots.getFirst();
        assertThat(root.get("name")).isEqualTo("Fix the build");
        assertThat(root.get("status")).isEqualTo("running");
        List<Map<String, Object>> children = (List<Map<String, Object>>) root.get("children");
        assertThat(children).extracting(c -> c.get("name")).containsExactlyInAnyOrder("Read", "Bash");
        Map<String, Object> read = children.stream().filter(c -> c.get("name").equals("Read")).findFirst().get();
        assertThat(read.get("status")).isEqualTo("success");
        assertThat(((Number) read.get("duration_ms")).longValue()).isEqualTo(812);
        assertThat(read.get("slow")).isEqualTo(true);
        assertThat((List<String>) read.get("event_ids")).hasSize(2);

        String tree = text(call(client, "get_activity_tree", Map.of("session_id", s)));
        assertThat(tree).contains("└─ 📋 Fix the build 🔄", "🔧 Read ✅ 812ms", "SLOW", "❌", "exit code 2");
        String plain = text(call(client, "get_activity_tree", Map.of("session_id", s, "format", "plain")));
        assertThat(plain).contains("`- [task] Fix the build (running)").doesNotContain("✅");
    }

    @Test
    void configureDisplayIsHonouredByTheTree() {
        String s = "http-display";
        call(client, "log_event", event(s, "tool_pre_call", Map.of("correlation_id", "a", "details",
                Map.of("name", "Grep"))));
        call(client, "log_event", event(s, "tool_post_call", Map.of("correlation_id", "a", "duration_ms", 120,
                "details", Map.of("name", "Grep"))));
        assertThat(text(call(client, "get_activity_tree", Map.of("session_id", s)))).doesNotContain("SLOW");
        Map<String, Object> settings = structured(call(client, "configure_display", Map.of("session_id", s,
                "settings", Map.of("threshold_slow_ms", 100, "show_timings", false))));
        assertThat(settings.toString()).contains("threshold_slow_ms=100");
        String tree = text(call(client, "get_activity_tree", Map.of("session_id", s)));
        assertThat(tree).contains("SLOW").doesNotContain("120ms ");
    }

    @Test
    @SuppressWarnings("unchecked")
    void streamActivityLongPollsAndSendsProgressForEachNewEvent() throws Exception {
        String s = "http-stream";
        call(client, "log_event", event(s, "task_started", Map.of("correlation_id", "t")));
        Map<String, Object> replay = structured(call(client, "stream_activity", Map.of("session_id", s)));
        long cursor = ((Number) replay.get("next_cursor")).longValue();
        assertThat(cursor).isEqualTo(1);

        List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
        McpSyncClient watcher = connect(mos.baseUrl(), progress);
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        try {
            later.schedule(() -> {
                for (int i = 0; i < 3; i++) {
                    call(client, "log_event", event(s, "task_progress", Map.of("correlation_id", "t",
                            "details", Map.of("description", "step " + i))));
                }
            }, 300, TimeUnit.MILLISECONDS);
            McpSchema.CallToolResult result = watcher.callTool(new McpSchema.CallToolRequest("stream_activity",
                    Map.of("session_id", s, "cursor", cursor, "wait_ms", 2500, "max_events", 3),
                    Map.of("progressToken", "watch-1")));
            Map<String, Object> out = structured(result);
            assertThat((List<Object>) out.get("events")).hasSize(3);
            assertThat(((Number) out.get("next_cursor")).longValue()).isEqualTo(4);
            // a notification is handed to the client's consumer on another thread: it may land just after the answer
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> progress.size() >= 3);
            assertThat(progress).hasSize(3);
            assertThat(progress.getFirst().progressToken()).isEqualTo("watch-1");
            assertThat(text(result)).contains("step 0", "step 2");

            // Without a progress token the long poll returns as soon as something arrives.
            later.schedule(() -> call(client, "log_event", event(s, "task_complete", Map.of("correlation_id", "t"))),
                    300, TimeUnit.MILLISECONDS);
            long started = System.nanoTime();
            Map<String, Object> next = structured(call(watcher, "stream_activity", Map.of("session_id", s,
                    "cursor", 4, "wait_ms", 20_000)));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
            assertThat((List<Map<String, Object>>) next.get("events")).singleElement()
                    .satisfies(e -> assertThat(e.get("event_type")).isEqualTo("task_complete"));
        } finally {
            later.shutdownNow();
            watcher.closeGracefully();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void exportsListsAndAnalytics() {
        String s = "http-export";
        for (int i = 0; i < 4; i++) {
            call(client, "log_event", event(s, "tool_pre_call", Map.of("correlation_id", "e" + i,
                    "details", Map.of("name", "Edit"))));
            call(client, "log_event", event(s, i == 3 ? "tool_error" : "tool_post_call", Map.of("correlation_id",
                    "e" + i, "duration_ms", 100 * (i + 1), "details", Map.of("name", "Edit"))));
        }
        Map<String, Object> export = structured(call(client, "export_session", Map.of("session_id", s)));
        Map<String, Object> document = (Map<String, Object>) export.get("export");
        assertThat((List<Object>) document.get("events")).hasSize(8);
        assertThat((List<Object>) document.get("tree")).hasSize(4);
        assertThat(text(call(client, "export_session", Map.of("session_id", s, "format", "claude_code_log"))))
                .contains("⏺ Edit", "⎿  Done in 100ms", "Error after 400ms");
        assertThat(text(call(client, "export_session", Map.of("session_id", s, "format", "text"))))
                .contains("Session " + s, "tool_post_call");

        Map<String, Object> analytics = structured(call(client, "get_tool_analytics", Map.of("session_id", s)));
        Map<String, Object> edit = ((List<Map<String, Object>>) analytics.get("tools")).getFirst();
        assertThat(edit).containsEntry("tool", "Edit").containsEntry("calls", 4).containsEntry("errors", 1)
                .containsEntry("p50_ms", 200).containsEntry("p99_ms", 400);

        Map<String, Object> list = structured(call(client, "list_sessions", Map.of("limit", 1000)));
        assertThat((List<Map<String, Object>>) list.get("sessions")).extracting(m -> m.get("session_id")).contains(s);
        Map<String, Object> latest = structured(call(client, "get_tool_analytics", Map.of("session_id", "latest")));
        assertThat(latest.get("scope")).isNotNull();
    }

    @Test
    void badArgumentsAndBadEventsAreRefusedWithTheFieldNamed() {
        McpSchema.CallToolResult bad = call(client, "log_event", event("x", "tool_pre_call",
                Map.of("display_info", Map.of("color", "not-a-colour"))));
        assertThat(bad.isError()).isTrue();
        assertThat(text(bad)).contains("display_info.color");
        McpSchema.CallToolResult unknown = call(client, "get_activity_tree", Map.of("sesion_id", "x"));
        assertThat(unknown.isError()).isTrue();
        assertThat(text(unknown)).contains("unknown parameter 'sesion_id'");
        McpSchema.CallToolResult missing = call(client, "get_activity_tree", Map.of("session_id", "no-such"));
        assertThat(text(missing)).contains("session 'no-such' not found");
    }

    @Test
    void seedCurlFormReturnsTheHealthJson() throws Exception {
        Http.Response r = Http.post(mos.baseUrl() + "/mcp",
                "{\"method\": \"get_health_status\", \"params\": {\"detailed\": true}}");
        assertThat(r.status()).isEqualTo(200);
        JsonNode health = r.json();
        assertThat(health.get("status").stringValue()).isIn("healthy", "warning", "critical");
        assertThat(health.has("method_breakdown")).isTrue();
        assertThat(health.get("components").has("circuit_breakers")).isTrue();

        Http.Response batch = Http.call(mos.baseUrl(), "log_event", "{\"events\": ["
                + "{\"session_id\": \"curl\", \"event_type\": \"task_started\"},"
                + "{\"session_id\": \"curl\", \"event_type\": \"bogus\"},"
                + "{\"session_id\": \"curl\", \"event_type\": \"task_complete\"}]}");
        assertThat(batch.status()).isEqualTo(200);
        assertThat(batch.json().get("accepted").intValue()).isEqualTo(2);
        assertThat(batch.json().get("results").get(1).get("field").stringValue()).isEqualTo("event_type");

        Http.Response unknown = Http.call(mos.baseUrl(), "no_such_tool", "{}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).contains("available tools");
    }

    @Test
    void healthProbesAndPrometheusMetrics() throws Exception {
        Http.call(mos.baseUrl(), "log_event", "{\"event\": {\"session_id\": \"m\", \"event_type\": \"task_started\"}}");
        Http.call(mos.baseUrl(), "get_activity_tree", "{\"session_id\": \"m\"}");
        // Other tests here make errors on purpose, so the verdict may be anything; the code must match it.
        Http.Response health = Http.get(mos.baseUrl() + "/health");
        String status = health.json().get("status").stringValue();
        assertThat(status).isIn("healthy", "warning", "critical");
        assertThat(health.status()).isEqualTo(status.equals("critical") ? 503 : 200);
        assertThat(Http.get(mos.baseUrl() + "/health/live").status()).isEqualTo(200);
        assertThat(Http.get(mos.baseUrl() + "/health/ready").json().get("status").stringValue()).isEqualTo("ready");
        String metrics = Http.get(mos.baseUrl() + "/metrics").body();
        assertThat(metrics).contains("mos_events_ingested_total{", "type=\"task_started\"", "mos_tool_calls_seconds",
                "http_server_requests_seconds", "jvm_memory_used_bytes", "mos_sessions_active",
                "mos_tree_build_seconds", "mos_stream_subscribers", "resilience4j_circuitbreaker_state");
    }

    @Test
    void originsOtherThanLocalhostAreRefused() throws Exception {
        String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
        String[] accept = {"Accept", "application/json, text/event-stream"};
        Http.Response evil = Http.post(mos.baseUrl() + "/mcp", init, "Origin", "http://evil.example", accept[0],
                accept[1]);
        assertThat(evil.status()).isEqualTo(403);
        assertThat(Http.post(mos.baseUrl() + "/mcp", "{\"method\":\"list_sessions\",\"params\":{}}", "Origin",
                "http://evil.example").status()).isEqualTo(403);
        Http.Response local = Http.post(mos.baseUrl() + "/mcp", init, "Origin", "http://localhost:5173", accept[0],
                accept[1]);
        assertThat(local.status()).isEqualTo(200);
    }

    @Test
    void oversizedBodiesGet413AndSdkErrorsCarryNoStackTrace() throws Exception {
        String big = "{\"method\":\"log_event\",\"params\":{\"pad\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}}";
        assertThat(Http.post(mos.baseUrl() + "/mcp", big).status()).isEqualTo(413);

        Http.Response noSession = Http.post(mos.baseUrl() + "/mcp",
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\"}",
                "Accept", "application/json, text/event-stream", "Mcp-Session-Id", "does-not-exist");
        assertThat(noSession.status()).isGreaterThanOrEqualTo(400);
        assertThat(noSession.body()).doesNotContain("stackTrace", "\tat ", "Exception");
        assertThat(noSession.json().get("error").get("message").stringValue()).isNotBlank();
    }
}
