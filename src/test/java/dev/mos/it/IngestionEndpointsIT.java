package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** /hooks, the OTLP endpoints and {@code mos hook} against the packaged server, over real HTTP. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class IngestionEndpointsIT {

    private static MosProcess mos;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        mos = MosProcess.serve(Map.of());
    }

    @AfterAll
    static void stop() {
        mos.close();
    }

    @Test
    void hooksAnswerEmpty200AndStoreUnknownEvents() throws Exception {
        Http.Response r = Http.post(mos.baseUrl() + "/hooks", """
                {"session_id": "it-hooks", "hook_event_name": "BrandNewEvent", "surprise": {"a": [1, 2]}}""");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        JsonNode tree = Http.call(mos.baseUrl(), "get_activity_tree",
                "{\"session_id\": \"it-hooks\", \"format\": \"json\"}").json();
        assertThat(tree.path("tree").get(0).path("name").asString()).isEqualTo("BrandNewEvent");
        assertThat(tree.path("tree").get(0).path("attributes").path("surprise").asString()).contains("[1,2]");
    }

    @Test
    void logEventTakesARawHookPayloadLikeAnMcpToolHookSendsIt() throws Exception {
        Http.Response pre = Http.call(mos.baseUrl(), "log_event", """
                {"event": {"session_id": "it-mcp-hook", "prompt_id": "p1", "hook_event_name": "PreToolUse",
                  "tool_name": "mcp__github__search", "tool_use_id": "toolu_9", "tool_input": {"q": "x"}}}""");
        assertThat(pre.status()).isEqualTo(200);
        assertThat(pre.json().path("id").asString()).startsWith("evt_");
        Http.call(mos.baseUrl(), "log_event", """
                {"event": {"session_id": "it-mcp-hook", "prompt_id": "p1", "hook_event_name": "PostToolUse",
                  "tool_name": "mcp__github__search", "tool_use_id": "toolu_9", "duration_ms": 64}}""");
        JsonNode node = Http.call(mos.baseUrl(), "get_activity_tree",
                "{\"session_id\": \"it-mcp-hook\", \"format\": \"json\"}").json().path("tree").get(0);
        assertThat(node.path("kind").asString()).isEqualTo("mcp");
        assertThat(node.path("duration_ms").asLong()).isEqualTo(64L);
        assertThat(node.path("attributes").path("mcp_server").asString()).isEqualTo("github");
    }

    @Test
    void whatIsNoHookPayloadGetsAClearError() throws Exception {
        Http.Response notJson = Http.post(mos.baseUrl() + "/hooks", "{oops");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().path("error").asString()).contains("not JSON");
        Http.Response noSession = Http.post(mos.baseUrl() + "/hooks", "{\"hook_event_name\": \"Stop\"}");
        assertThat(noSession.status()).isEqualTo(400);
        assertThat(noSession.json().path("error").asString()).contains("session_id");
        assertThat(noSession.body()).doesNotContain("Exception", "at dev.mos");
    }

    @Test
    void otlpJsonGzipIsAcceptedAndBadRecordsArePartialSuccess() throws Exception {
        String body = """
                {"resourceLogs": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "claude-code"}}]},
                  "scopeLogs": [{"logRecords": [
                    {"timeUnixNano": "1795618593713000000", "body": {"stringValue": "claude_code.api_request"},
                     "attributes": [{"key": "event.name", "value": {"stringValue": "api_request"}},
                       {"key": "session.id", "value": {"stringValue": "it-otlp"}},
                       {"key": "model", "value": {"stringValue": "claude-x"}},
                       {"key": "input_tokens", "value": {"intValue": "77"}},
                       {"key": "duration_ms", "value": {"intValue": "40"}}]},
                    {"attributes": [{"key": "event.name", "value": {"stringValue": "api_request"}}]}]}]}]}""";
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(body.getBytes(StandardCharsets.UTF_8));
        }
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(mos.baseUrl() + "/v1/logs")).header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(gz.toByteArray()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode answer = Http.JSON.readTree(r.body());
        assertThat(answer.path("partialSuccess").path("rejectedLogRecords").asString()).isEqualTo("1");
        assertThat(answer.path("partialSuccess").path("errorMessage").asString()).contains("session.id");
        JsonNode tree = Http.call(mos.baseUrl(), "get_activity_tree",
                "{\"session_id\": \"it-otlp\", \"format\": \"json\"}").json();
        JsonNode llm = tree.path("tree").get(0);
        assertThat(llm.path("kind").asString()).isEqualTo("llm");
        assertThat(llm.path("duration_ms").asLong()).isEqualTo(40L);
        assertThat(llm.path("attributes").path("input_tokens").asLong()).isEqualTo(77L);

        HttpResponse<String> wrongType = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(mos.baseUrl() + "/v1/logs")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrongType.statusCode()).isEqualTo(415);
        assertThat(wrongType.body()).contains("application/x-protobuf or application/json");
        Http.Response broken = Http.post(mos.baseUrl() + "/v1/metrics", "[1,2]");
        assertThat(broken.status()).isEqualTo(400);
    }

    @Test
    void mosHookForwardsAndAlwaysExitsZeroQuietly() throws Exception {
        Path payload = Files.writeString(tmp.resolve("payload.json"),
                "{\"session_id\": \"it-cmd\", \"hook_event_name\": \"SessionStart\", \"source\": \"startup\"}");
        Process ok = new ProcessBuilder(MosProcess.command("hook", "--url", mos.baseUrl()))
                .redirectInput(payload.toFile()).redirectErrorStream(false).start();
        assertThat(ok.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ok.exitValue()).isZero();
        assertThat(new String(ok.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
        JsonNode tree = Http.call(mos.baseUrl(), "get_activity_tree",
                "{\"session_id\": \"it-cmd\", \"format\": \"json\"}").json();
        assertThat(tree.path("lifecycle").path("source").asString()).as(tree.toString()).isEqualTo("startup");
        assertThat(tree.path("lifecycle").path("started_at").asString()).isNotBlank();

        // nobody listening: still exit 0, nothing on stdout, a note on stderr
        Process down = new ProcessBuilder(MosProcess.command("hook", "--url", "http://127.0.0.1:9",
                "--timeout-ms", "1000")).redirectInput(payload.toFile()).start();
        long started = System.nanoTime();
        assertThat(down.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(down.exitValue()).isZero();
        assertThat(new String(down.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
        assertThat(new String(down.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("not delivered");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }

    /**
     * As Codex's notify runs it (setup writes {@code mos hook --url U [--token-env VAR]}, Codex appends its JSON as
     * the last argument, stdin is not the payload): against a server that requires a token, the token comes from
     * the named variable; without it the server refuses and the hook still exits 0, quietly.
     */
    @Test
    void mosHookTakesCodexsNotifyJsonAsItsLastArgumentAndTheTokenFromTheNamedVariable() throws Exception {
        MosProcess secured = MosProcess.serve(Map.of("MCP_AUTH_TOKEN", "it-hook-token"));
        try {
            String notify = "{\"type\":\"agent-turn-complete\",\"thread-id\":\"it-notify\",\"turn-id\":\"t1\","
                    + "\"cwd\":\"/tmp\",\"input-messages\":[\"hi\"],\"last-assistant-message\":\"done\"}";
            ProcessBuilder withToken = new ProcessBuilder(MosProcess.command("hook", "--url", secured.baseUrl(),
                    "--token-env", "MY_MOS_TOKEN", notify)).redirectInput(ProcessBuilder.Redirect.PIPE);
            withToken.environment().put("MY_MOS_TOKEN", "it-hook-token");
            Process ok = withToken.start();
            ok.getOutputStream().close();
            assertThat(ok.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(ok.exitValue()).isZero();
            assertThat(new String(ok.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
            assertThat(new String(ok.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();

            ProcessBuilder without = new ProcessBuilder(MosProcess.command("hook", "--url", secured.baseUrl(),
                    "--token-env", "MY_MOS_TOKEN", notify));
            without.environment().remove("MY_MOS_TOKEN");
            Process refused = without.start();
            refused.getOutputStream().close();
            assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(refused.exitValue()).isZero();
            assertThat(new String(refused.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                    .contains("HTTP 401");
        } finally {
            secured.close();
        }
    }
}
