package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The default set-up (`mos serve`, SQLite under the data dir) across restarts, crashes, deletion and pruning. */
class SqliteDurabilityIT {

    @TempDir
    Path dataDir;

    private Map<String, String> env() {
        return Map.of("MCP_DATA_DIR", dataDir.toString(), "MCP_MAX_EVENTS_PER_SESSION", "1000000");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRestartKeepsSessionsEventsDisplaySettingsAndStreamCursors() throws Exception {
        long cursor;
        try (MosProcess first = MosProcess.serve(env())) {
            McpSyncClient client = McpHttpIT.connect(first.baseUrl(), new java.util.ArrayList<>());
            for (String type : List.of("task_started", "tool_pre_call", "tool_post_call")) {
                McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest("log_event", Map.of(
                        "event", Map.of("session_id", "keep", "event_type", type, "correlation_id",
                                type.startsWith("task") ? "task-1" : "tool-1", "details", Map.of("name",
                                        type.startsWith("task") ? "Fix the build" : "Read")))));
                assertThat(r.isError()).as(r.content().toString()).isFalse();
            }
            assertThat(client.callTool(new McpSchema.CallToolRequest("configure_display", Map.of("session_id", "keep",
                    "settings", Map.of("threshold_slow_ms", 1234, "show_timings", false)))).isError()).isFalse();
            Http.Response stream = Http.call(first.baseUrl(), "stream_activity", "{\"session_id\": \"keep\"}");
            cursor = stream.json().get("next_cursor").longValue();
            assertThat(cursor).isEqualTo(3);
            client.closeGracefully();
            assertThat(first.terminate(Duration.ofSeconds(20))).isZero();
        }
        assertThat(Files.exists(dataDir.resolve("mos.db"))).isTrue();

        try (MosProcess second = MosProcess.serve(env())) {
            // events logged after the restart, then the old cursor gets exactly those
            Http.call(second.baseUrl(), "log_event",
                    "{\"event\": {\"session_id\": \"keep\", \"event_type\": \"task_complete\", \"correlation_id\": \"task-1\"}}");
            JsonNode resumed = Http.call(second.baseUrl(), "stream_activity",
                    "{\"session_id\": \"keep\", \"cursor\": " + cursor + "}").json();
            assertThat(resumed.get("events")).hasSize(1);
            assertThat(resumed.get("events").get(0).get("sequence").longValue()).isEqualTo(4);
            assertThat(resumed.get("missed").longValue()).isZero();

            McpSyncClient client = McpHttpIT.connect(second.baseUrl(), new java.util.ArrayList<>());
            McpSchema.CallToolResult tree = client.callTool(new McpSchema.CallToolRequest("get_activity_tree",
                    Map.of("session_id", "keep")));
            String text = ((McpSchema.TextContent) tree.content().getFirst()).text();
            assertThat(text).contains("Fix the build", "Read");
            Map<String, Object> display = (Map<String, Object>) ((Map<String, Object>) client.callTool(
                    new McpSchema.CallToolRequest("configure_display", Map.of("session_id", "keep", "settings",
                            Map.of()))).structuredContent()).get("settings");
            assertThat(display).containsEntry("threshold_slow_ms", 1234).containsEntry("show_timings", false);
            client.closeGracefully();

            // deletion through the admin endpoint removes it for good
            HttpResponse<String> deleted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(second.baseUrl() + "/api/v1/sessions/keep")).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
            assertThat(Http.call(second.baseUrl(), "export_session", "{\"session_id\": \"keep\"}").status())
                    .isEqualTo(400);
            HttpResponse<String> again = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(second.baseUrl() + "/api/v1/sessions/keep")).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(again.statusCode()).isEqualTo(404);
            assertThat(again.body()).contains("not found");
        }
    }

    /** Both durability settings: the default (no fsync per commit) and power-loss durability (fsync each). */
    @org.junit.jupiter.params.ParameterizedTest(name = "storage.durability={0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"process", "power"})
    void sigkillDuringConcurrentIngestionLosesNoAcknowledgedEventAndDuplicatesNone(String durability)
            throws Exception {
        long seed = System.nanoTime();
        Map<String, Set<String>> acked;
        Map<String, String> env = new java.util.HashMap<>(env());
        env.put("MCP_DURABILITY", durability);
        try (MosProcess mos = MosProcess.serve(env)) {
            acked = CrashCheck.ingestUntilKilled(mos, seed);
        }
        try (MosProcess restarted = MosProcess.serve(env)) {
            int total = CrashCheck.verify(restarted.baseUrl(), acked);
            assertThat(total).as("events acknowledged before the kill (seed %d)", seed).isPositive();
        }
    }

    @Test
    void aStdioServerAndAnHttpServerShareTheFile() throws Exception {
        try (MosProcess http = MosProcess.serve(env());
                McpStdio stdio = McpStdio.start(env())) {
            McpSchema.CallToolResult logged = stdio.client().callTool(new McpSchema.CallToolRequest("log_event",
                    Map.of("event", Map.of("session_id", "from-stdio", "event_type", "tool_pre_call",
                            "details", Map.of("name", "Grep")))));
            assertThat(logged.isError()).isFalse();
            // committed before the stdio call returned, so the HTTP server reads it at once
            Http.Response export = Http.call(http.baseUrl(), "export_session", "{\"session_id\": \"from-stdio\"}");
            assertThat(export.status()).as(export.body()).isEqualTo(200);
            assertThat(export.body()).contains("Grep");
        }
    }

    @Test
    void pruneDeletesSessionsOlderThanTheRetention() throws Exception {
        try (MosProcess mos = MosProcess.serve(env())) {
            Http.call(mos.baseUrl(), "log_event",
                    "{\"event\": {\"session_id\": \"old\", \"event_type\": \"tool_pre_call\"}}");
            assertThat(mos.terminate(Duration.ofSeconds(20))).isZero();
        }
        Thread.sleep(50);
        try (MosProcess prune = MosProcess.start(env(), "prune", "--older-than-ms", "1")) {
            assertThat(prune.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            String out = new String(prune.process.getInputStream().readAllBytes());
            assertThat(prune.process.exitValue()).as(prune.stderrText()).isZero();
            assertThat(out).contains("pruned 1 session(s)");
        }
        try (MosProcess mos = MosProcess.serve(env())) {
            assertThat(Http.call(mos.baseUrl(), "list_sessions", "{}").body()).doesNotContain("\"old\"");
        }
    }

    @Test
    void anOnlineBackupTakenWhileServingRestoresIntoAFreshDataDir(@TempDir Path restoreDir) throws Exception {
        Path backup = restoreDir.resolve("backup.db");
        try (MosProcess mos = MosProcess.serve(env())) {
            for (int i = 0; i < 5; i++) {
                Http.call(mos.baseUrl(), "log_event", "{\"event\": {\"session_id\": \"saved\","
                        + " \"event_type\": \"tool_pre_call\", \"details\": {\"name\": \"op" + i + "\"}}}");
            }
            try (MosProcess run = MosProcess.start(env(), "backup", backup.toString())) {
                assertThat(run.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                assertThat(run.process.exitValue()).as(run.stderrText()).isZero();
            }
        }
        Path fresh = restoreDir.resolve("data");
        Files.createDirectories(fresh);
        Files.copy(backup, fresh.resolve("mos.db"));
        try (MosProcess restored = MosProcess.serve(Map.of("MCP_DATA_DIR", fresh.toString()))) {
            JsonNode events = Http.call(restored.baseUrl(), "export_session", "{\"session_id\": \"saved\"}")
                    .json().get("export").get("events");
            assertThat(events).hasSize(5);
            assertThat(events.get(4).get("sequence").longValue()).isEqualTo(5);
        }
    }
}
