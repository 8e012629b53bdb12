package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Start-up refusals, auth, health transitions, `mos health` and SIGTERM, each on its own server process. */
class LifecycleIT {

    private static int runToExit(Map<String, String> env, String... args) throws Exception {
        try (MosProcess p = MosProcess.start(env, args)) {
            assertThat(p.process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
            Thread.sleep(100); // let the stderr reader catch the last line
            return p.process.exitValue();
        }
    }

    @Test
    void sigtermDrainsAndExitsZero() throws Exception {
        MosProcess mos = MosProcess.serve(Map.of());
        try {
            assertThat(Http.get(mos.baseUrl() + "/health").status()).isEqualTo(200);
            assertThat(mos.terminate(Duration.ofSeconds(20))).isEqualTo(0);
            Thread.sleep(100);
            assertThat(mos.stderrText()).contains("shutting down", "stopped");
        } finally {
            mos.close();
        }
    }

    @Test
    void productionModeLogsJsonLinesToStderr() throws Exception {
        MosProcess mos = MosProcess.serve(Map.of("NODE_ENV", "production"));
        try {
            String startup = mos.stderr.stream().filter(l -> l.contains("MOS listening")).findFirst().orElseThrow();
            var line = Http.JSON.readTree(startup);
            assertThat(line.get("level").stringValue()).isEqualTo("INFO");
            assertThat(line.get("loggerName").stringValue()).isEqualTo("mos.startup");
        } finally {
            mos.close();
        }
    }

    @Test
    void nonLoopbackBindWithoutTokenIsRefusedUnlessExplicitlyAccepted() throws Exception {
        try (MosProcess p = MosProcess.start(Map.of(), "serve", "--host", "0.0.0.0", "--port", "0")) {
            assertThat(p.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.process.exitValue()).isEqualTo(1);
            Thread.sleep(100);
            assertThat(p.stderrText()).contains("refusing to listen on 0.0.0.0", "MCP_AUTH_TOKEN",
                    "--allow-unauthenticated-remote");
        }
        MosProcess accepted = MosProcess.serve(Map.of(), "--host", "0.0.0.0", "--allow-unauthenticated-remote");
        try {
            assertThat(Http.get(accepted.baseUrl() + "/health/ready").status()).isEqualTo(200);
        } finally {
            accepted.close();
        }
        MosProcess withToken = MosProcess.serve(Map.of("MCP_AUTH_TOKEN", "s3cret", "MCP_HOST", "0.0.0.0"));
        withToken.close();
    }

    @Test
    void badConfigurationStopsTheStartWithOneLineNamingTheKey() throws Exception {
        try (MosProcess p = MosProcess.start(Map.of("MCP_MAX_MEMORY_MB", "lots"), "serve", "--port", "0")) {
            assertThat(p.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.process.exitValue()).isEqualTo(1);
            Thread.sleep(100);
            assertThat(p.stderr).anySatisfy(line -> assertThat(line).contains("health.maxMemoryMB",
                    "MCP_MAX_MEMORY_MB", "\"lots\""));
            assertThat(p.stderrText()).doesNotContain("\tat ");
        }
        Path config = Files.createTempFile("mos-bad", ".json");
        Files.writeString(config, "{\"session\": {\"maxEventsPerSession\": 0}}");
        try (MosProcess p = MosProcess.start(Map.of(), "serve", "--port", "0", "--config", config.toString())) {
            assertThat(p.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.process.exitValue()).isEqualTo(1);
            Thread.sleep(100);
            assertThat(p.stderrText()).contains("session.maxEventsPerSession", "between 1 and");
        }
        Files.writeString(config, "{\"session\": {");
        assertThat(runToExit(Map.of(), "serve", "--port", "0", "--config", config.toString())).isEqualTo(1);
    }

    @Test
    void bearerTokensGuardEverythingButHealth() throws Exception {
        MosProcess mos = MosProcess.serve(Map.of("MCP_AUTH_TOKEN", "first-token, second-token"));
        try {
            Http.Response denied = Http.get(mos.baseUrl() + "/metrics");
            assertThat(denied.status()).isEqualTo(401);
            assertThat(denied.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(Http.call(mos.baseUrl(), "list_sessions", "{}", "Authorization", "Bearer wrong").status())
                    .isEqualTo(401);
            assertThat(Http.get(mos.baseUrl() + "/metrics", "Authorization", "Bearer second-token").status())
                    .isEqualTo(200);
            assertThat(Http.get(mos.baseUrl() + "/health").status()).isEqualTo(200);
            assertThat(Http.get(mos.baseUrl() + "/health/ready").status()).isEqualTo(200);

            McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(mos.baseUrl())
                    .endpoint("/mcp")
                    .httpRequestCustomizer((builder, method, uri, body, context) ->
                            builder.header("Authorization", "Bearer first-token"))
                    .build()).requestTimeout(Duration.ofSeconds(30)).build();
            try {
                client.initialize();
                assertThat(client.callTool(new McpSchema.CallToolRequest("list_sessions", Map.of())).isError())
                        .isFalse();
            } finally {
                client.closeGracefully();
            }
            assertThat(mos.stderrText()).doesNotContain("first-token", "second-token");
        } finally {
            mos.close();
        }
    }

    @Test
    void publicMetricsOpensOnlyMetricsEverythingElseStillNeedsTheToken() throws Exception {
        MosProcess mos = MosProcess.serve(Map.of("MCP_AUTH_TOKEN", "the-token", "MCP_PUBLIC_METRICS", "true"));
        try {
            Http.Response metrics = Http.get(mos.baseUrl() + "/metrics");
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.body()).contains("jvm_memory_used_bytes");
            assertThat(Http.get(mos.baseUrl() + "/metrics/other").status()).isEqualTo(401);
            assertThat(Http.get(mos.baseUrl() + "/api/v1/sessions").status()).isEqualTo(401);
            assertThat(Http.post(mos.baseUrl() + "/hooks", "{\"session_id\": \"s\"}").status()).isEqualTo(401);
            assertThat(Http.call(mos.baseUrl(), "list_sessions", "{}").status()).isEqualTo(401);
            assertThat(Http.call(mos.baseUrl(), "list_sessions", "{}", "Authorization", "Bearer the-token").status())
                    .isEqualTo(200);
        } finally {
            mos.close();
        }
    }

    @Test
    void healthTurnsCriticalOnErrorsAndMosHealthReportsIt() throws Exception {
        Path config = Files.createTempFile("mos-health", ".json");
        Files.writeString(config, "{\"health\": {\"maxErrorRate\": 0.2, \"healthCheckInterval\": 200}}");
        MosProcess mos = MosProcess.serve(Map.of(), "--config", config.toString());
        try {
            assertThat(runToExit(Map.of(), "health", "--url", mos.baseUrl())).isEqualTo(0);
            for (int i = 0; i < 10; i++) {
                Http.call(mos.baseUrl(), "list_sessions", "{}");
            }
            // 2 errors in 12 calls: above half of maxErrorRate (10%), below it: warning
            Http.call(mos.baseUrl(), "get_activity_tree", "{\"session_id\": \"nope\"}");
            Http.call(mos.baseUrl(), "get_activity_tree", "{\"session_id\": \"nope\"}");
            assertThat(Http.call(mos.baseUrl(), "get_health_status", "{}").json().get("status").stringValue())
                    .isEqualTo("warning");
            assertThat(runToExit(Map.of(), "health", "--url", mos.baseUrl())).isEqualTo(0);
            for (int i = 0; i < 6; i++) {
                Http.call(mos.baseUrl(), "log_event", "{\"event\": {\"event_type\": \"task_started\"}}");
            }
            Http.Response health = Http.call(mos.baseUrl(), "get_health_status", "{\"detailed\": true}");
            assertThat(health.json().get("status").stringValue()).isEqualTo("critical");
            assertThat(health.body()).contains("error_rate_high", "session_id is required");
            assertThat(Http.get(mos.baseUrl() + "/health").status()).isEqualTo(503);
            assertThat(runToExit(Map.of(), "health", "--url", mos.baseUrl())).isEqualTo(1);
            Thread.sleep(400);
            assertThat(Http.call(mos.baseUrl(), "get_health_status", "{\"detailed\": true}").json()
                    .get("alerts_raised_recently").size()).isGreaterThan(0);
        } finally {
            mos.close();
        }
        assertThat(runToExit(Map.of(), "health", "--url", "http://127.0.0.1:1")).isEqualTo(1);
    }

    @Test
    void everyCommandHasHelpAndVersionWorks() throws Exception {
        for (String command : List.of("serve", "stdio", "health", "version")) {
            try (MosProcess p = MosProcess.start(Map.of(), command, "--help")) {
                assertThat(p.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
                String out = new String(p.process.getInputStream().readAllBytes());
                assertThat(p.process.exitValue()).as(command).isEqualTo(0);
                assertThat(out).as(command).contains("Usage: mos " + command);
            }
        }
        try (MosProcess p = MosProcess.start(Map.of(), "version")) {
            assertThat(p.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(p.process.getInputStream().readAllBytes())).startsWith("mos 0.");
        }
    }
}
