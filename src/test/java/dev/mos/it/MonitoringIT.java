package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The alert rules and the Grafana dashboard only read metrics the packaged server really exports: a live MOS is
 * driven with real traffic (hooks, OTLP, MCP over the SDK client and the plain form, SSE, bad requests), its
 * /metrics is scraped, and every metric name in every PromQL expression must be in that scrape.
 */
class MonitoringIT {

    private static MosProcess mos;
    private static String scrape;

    @BeforeAll
    static void driveTrafficAndScrape() throws Exception {
        mos = MosProcess.serve(Map.of());
        String base = mos.baseUrl();
        try (SseClient all = SseClient.open(base + "/api/v1/stream")) {
            assertThat(all.status).isEqualTo(200);
            assertThat(Http.post(base + "/hooks", """
                    {"session_id": "mon-1", "hook_event_name": "UserPromptSubmit", "prompt": "list files"}""")
                    .status()).isEqualTo(200);
            assertThat(Http.post(base + "/hooks", """
                    {"session_id": "mon-1", "hook_event_name": "PreToolUse", "tool_name": "Bash",
                     "tool_input": {"command": "ls"}, "tool_use_id": "t1"}""").status()).isEqualTo(200);
            assertThat(Http.post(base + "/v1/logs", """
                    {"resourceLogs": [{"scopeLogs": [{"logRecords": [{"attributes": [
                      {"key": "event.name", "value": {"stringValue": "api_request"}},
                      {"key": "session.id", "value": {"stringValue": "mon-1"}},
                      {"key": "model", "value": {"stringValue": "claude-x"}},
                      {"key": "duration_ms", "value": {"intValue": "40"}}]}]}]}]}""").status()).isEqualTo(200);
            McpSyncClient client = McpHttpIT.connect(base, new java.util.concurrent.CopyOnWriteArrayList<>());
            try {
                McpSchema.CallToolResult tree = client.callTool(new McpSchema.CallToolRequest("get_activity_tree",
                        Map.of("session_id", "mon-1")));
                assertThat(tree.isError()).isFalse();
                McpSchema.CallToolResult bad = client.callTool(new McpSchema.CallToolRequest("log_event",
                        Map.of("event", Map.of("session_id", "mon-1", "event_type", "no_such_type"))));
                assertThat(bad.isError()).isTrue();
            } finally {
                client.closeGracefully();
            }
            assertThat(Http.call(base, "list_sessions", "{}").status()).isEqualTo(200);
            assertThat(Http.call(base, "get_health_status", "{\"detailed\": true}").status()).isEqualTo(200);
            assertThat(Http.get(base + "/api/v1/sessions/mon-1/tree").status()).isEqualTo(200);
            // bad requests: malformed hook, unknown API route, unknown session, refused OTLP body
            assertThat(Http.post(base + "/hooks", "{oops").status()).isEqualTo(400);
            assertThat(Http.get(base + "/api/v1/nothing-here").status()).isEqualTo(404);
            assertThat(Http.get(base + "/api/v1/sessions/no-such-session").status()).isEqualTo(404);
            assertThat(Http.post(base + "/v1/metrics", "[1,2]").status()).isEqualTo(400);
            scrape = Http.get(base + "/metrics").body();
        }
    }

    @AfterAll
    static void stop() {
        if (mos != null) {
            mos.close();
        }
    }

    @Test
    void everyAlertExpressionReadsOnlyExportedMetrics() throws Exception {
        Map<String, String> alerts = MonitoringFiles.alertExpressions();
        assertThat(alerts.keySet()).containsExactly("MosMemoryHigh", "MosErrorRateHigh", "MosResponseTimeHigh",
                "MosUnhealthy", "MosStoreNotReady", "MosStreamLag");
        alerts.forEach((name, expr) -> assertThat(MonitoringFiles.metricNames(expr)).as(name).isNotEmpty());
        assertThat(MonitoringFiles.missing(alerts, MonitoringFiles.sampleNames(scrape))).isEmpty();
    }

    @Test
    void everyDashboardQueryReadsOnlyExportedMetrics() throws Exception {
        Map<String, String> queries = MonitoringFiles.dashboardExpressions();
        assertThat(queries).hasSizeGreaterThan(20);
        Set<String> exported = MonitoringFiles.sampleNames(scrape);
        assertThat(MonitoringFiles.missing(queries, exported)).isEmpty();
        assertThat(MonitoringFiles.variableMetrics()).isNotEmpty().allSatisfy(m -> assertThat(exported).contains(m));
    }

    @Test
    void theDashboardIsImportableWithADataSourceInputAndAnInstanceVariable() throws Exception {
        JsonNode d = MonitoringFiles.dashboard();
        assertThat(d.get("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
        assertThat(d.get("__inputs").get(0).get("name").asString()).isEqualTo("DS_PROMETHEUS");
        assertThat(d.get("__inputs").get(0).get("pluginId").asString()).isEqualTo("prometheus");
        Set<String> variables = new java.util.TreeSet<>();
        d.get("templating").get("list").forEach(v -> variables.add(v.get("name").asString()));
        assertThat(variables).contains("DS_PROMETHEUS", "instance");
        Set<String> titles = new java.util.TreeSet<>();
        Set<Integer> ids = new java.util.HashSet<>();
        for (JsonNode panel : d.get("panels")) {
            assertThat(ids.add(panel.get("id").asInt())).as("unique panel id").isTrue();
            titles.add(panel.get("title").asString());
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.get("datasource").get("uid").asString()).isEqualTo("${DS_PROMETHEUS}");
                assertThat(target.get("expr").asString()).contains("$instance");
            }
        }
        assertThat(titles).contains("Health status", "Store ready", "Memory used vs limit",
                "HTTP request rate by route", "HTTP error rate by route", "Response time", "Stream lag",
                "Circuit breakers not closed", "GC pauses", "Activity tree build time",
                "Events ingested by transport and type", "Sessions", "SSE streams and subscribers");
    }

    @Test
    void theCheckFailsOnAMetricMosDoesNotExport() {
        Set<String> exported = MonitoringFiles.sampleNames(scrape);
        List<String> missing = MonitoringFiles.missing(Map.of("typo", "mos_memory_used_byte / mos_memory_limit_bytes"
                + " > 0.8", "histogram", "histogram_quantile(0.9, sum by (le) (rate(mos_tool_calls_seconds_bucket[5m])))"),
                exported);
        assertThat(missing).containsExactlyInAnyOrder("typo: mos_memory_used_byte",
                "histogram: mos_tool_calls_seconds_bucket");
    }

    @Test
    void theTokenizerFindsMetricNamesAndNothingElse() {
        assertThat(MonitoringFiles.metricNames("sum by (uri, le) (rate(http_server_requests_seconds_bucket"
                + "{uri!~\"/mcp|.*stream\", instance=~\"$instance\"}[$__rate_interval])) / on (instance) group_left"
                + " (status) max without (job) (mos_health_status{status=\"warning\"} offset 5m) > bool 1e3"
                + " and ignoring (x) foo:bar_rate5m unless absent(up) or 0.8 * vector(1)"))
                .containsExactly("http_server_requests_seconds_bucket", "mos_health_status", "foo:bar_rate5m", "up");
    }

    @Test
    void theScrapeHasTheNewMetricsWithBoundedLabels() {
        Set<String> exported = MonitoringFiles.sampleNames(scrape);
        assertThat(exported).contains("mos_health_status", "mos_memory_used_bytes", "mos_memory_limit_bytes",
                "mos_health_error_ratio", "mos_health_error_ratio_limit", "mos_health_response_time_seconds",
                "mos_health_response_time_limit_seconds", "mos_health_requests", "mos_store_ready", "mos_ready",
                "mos_stream_lag_seconds", "mos_stream_backlog", "mos_stream_overflows_total",
                "http_server_requests_seconds_bucket", "mos_events_rejected_total");
        // exactly one status is 1, and it is the one /health reports (the server is idle, so it cannot change)
        Matcher m = Pattern.compile("(?m)^mos_health_status\\{status=\"(\\w+)\"} 1(\\.0)?$").matcher(scrape);
        assertThat(m.find()).as(scrape).isTrue();
        assertThat(m.find()).isFalse();
        // route templates: session ids and unknown paths never become label values
        Matcher uris = Pattern.compile("uri=\"([^\"]*)\"").matcher(scrape);
        Set<String> seen = new java.util.TreeSet<>();
        while (uris.find()) {
            seen.add(uris.group(1));
        }
        assertThat(seen).contains("/hooks", "/v1/logs", "/v1/metrics", "/mcp", "/api/v1/sessions/{id}/tree",
                "/api/v1/sessions/{id}", "other").noneMatch(u -> u.contains("mon-1") || u.contains("no-such"));
    }

    @Test
    void healthAndTheStatusGaugeAgreeOnTheLiveServer() throws Exception {
        JsonNode health = Http.get(mos.baseUrl() + "/health").json();
        String metrics = Http.get(mos.baseUrl() + "/metrics").body();
        assertThat(metrics).contains("mos_health_status{status=\"" + health.get("status").asString() + "\"} 1.0");
        assertThat(value(metrics, "mos_memory_limit_bytes")).isEqualTo(512.0 * 1_048_576);
        assertThat(value(metrics, "mos_ready")).isEqualTo(1.0);
        assertThat(value(metrics, "mos_store_ready")).isEqualTo(1.0);
    }

    @Test
    void aLongPollCountsAsACallButNotInTheAverageResponseTime() throws Exception {
        String base = mos.baseUrl();
        JsonNode first = Http.call(base, "stream_activity", "{\"session_id\": \"mon-1\"}").json();
        long cursor = first.get("next_cursor").asLong();
        JsonNode before = Http.get(base + "/health").json().get("requests");
        double avgBefore = before.get("avg_response_ms").asDouble();
        long started = System.nanoTime();
        Http.Response poll = Http.call(base, "stream_activity", "{\"session_id\": \"mon-1\", \"cursor\": " + cursor
                + ", \"wait_ms\": 3000}");
        assertThat(poll.status()).isEqualTo(200);
        assertThat(System.nanoTime() - started).isGreaterThan(2_900_000_000L); // it really waited
        JsonNode after = Http.get(base + "/health").json().get("requests");
        assertThat(after.get("recent").asLong()).isEqualTo(before.get("recent").asLong() + 1);
        // Counted in, 3 s over fewer than twenty calls would have added well over 100 ms to the average.
        assertThat(after.get("avg_response_ms").asDouble()).isLessThan(avgBefore + 100);
        String metrics = Http.get(base + "/metrics").body();
        assertThat(value(metrics, "mos_health_requests")).isEqualTo(after.get("recent").asDouble());
        assertThat(value(metrics, "mos_health_response_time_seconds") * 1000)
                .isCloseTo(after.get("avg_response_ms").asDouble(), org.assertj.core.data.Offset.offset(0.01));
    }

    private static double value(String scrape, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(scrape);
        assertThat(m.find()).as(name).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
