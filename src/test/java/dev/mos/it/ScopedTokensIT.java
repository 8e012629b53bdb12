package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scoped tokens as an operator sets them up: `mos token new` makes each token and its line, the lines go into the
 * file MCP_TOKENS_FILE names, and the server holds every request to its scope; the file is re-read on change.
 */
class ScopedTokensIT {

    record Made(String token, String line) {
    }

    static Path dir;
    static Path file;
    static Made ingest;
    static Made reader;
    static Made admin;
    static MosProcess mos;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("mos-tokens");
        file = dir.resolve("tokens.json");
        ingest = make("ci-agent", "ingest");
        reader = make("alice", "read");
        admin = make("ops", "admin,read");
        write(ingest, reader, admin);
        mos = MosProcess.serve(Map.of("MCP_TOKENS_FILE", file.toString()));
    }

    @AfterAll
    static void stop() {
        if (mos != null) {
            mos.close();
        }
    }

    static Made make(String name, String scopes) throws Exception {
        Process p = new ProcessBuilder(MosProcess.command("token", "new", "--name", name, "--scopes", scopes))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(p.waitFor()).isZero();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).doesNotContain(lines.get(0)); // the file keeps a digest, never the token
        return new Made(lines.get(0), lines.get(1));
    }

    static void write(Made... made) throws Exception {
        StringBuilder json = new StringBuilder("[\n");
        for (int i = 0; i < made.length; i++) {
            json.append("  ").append(made[i].line()).append(i + 1 < made.length ? ",\n" : "\n");
        }
        Path tmp = dir.resolve("tokens.json.tmp");
        Files.writeString(tmp, json.append("]\n"));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    static String[] bearer(Made made) {
        return new String[] {"Authorization", "Bearer " + made.token()};
    }

    static String hook(String session) {
        return "{\"session_id\": \"" + session + "\", \"hook_event_name\": \"UserPromptSubmit\", \"prompt\": \"hi\"}";
    }

    @Test
    void anIngestTokenSendsButReadsNothing() throws Exception {
        assertThat(Http.post(mos.baseUrl() + "/hooks", hook("scoped-ingest"), bearer(ingest)).status()).isEqualTo(200);
        Http.Response otlp = Http.post(mos.baseUrl() + "/v1/logs", "{\"resourceLogs\": []}", bearer(ingest));
        assertThat(otlp.status()).isEqualTo(200);

        Http.Response list = Http.get(mos.baseUrl() + "/api/v1/sessions", bearer(ingest));
        assertThat(list.status()).isEqualTo(403);
        assertThat(list.json().path("error").asString()).contains("'read' scope", "'ci-agent'", "ingest");
        assertThat(list.header("WWW-Authenticate")).contains("insufficient_scope", "scope=\"read\"");
        assertThat(Http.get(mos.baseUrl() + "/api/v1/stream", bearer(ingest)).status()).isEqualTo(403);

        Http.Response tool = Http.call(mos.baseUrl(), "list_sessions", "{}", bearer(ingest));
        assertThat(tool.status()).isEqualTo(403);
        assertThat(tool.body()).contains("list_sessions", "'read' scope").doesNotContain("scoped-ingest");
        Http.Response logged = Http.call(mos.baseUrl(), "log_event", """
                {"event": {"session_id": "scoped-ingest", "event_type": "task_started", "details": {"name": "build"}}}""",
                bearer(ingest));
        assertThat(logged.status()).as(logged.body()).isEqualTo(200);
    }

    @Test
    void aReadTokenReadsButCannotSendOrDelete() throws Exception {
        Http.Response sessions = Http.get(mos.baseUrl() + "/api/v1/sessions", bearer(reader));
        assertThat(sessions.status()).isEqualTo(200);

        Http.Response send = Http.post(mos.baseUrl() + "/hooks", hook("scoped-read"), bearer(reader));
        assertThat(send.status()).isEqualTo(403);
        assertThat(send.json().path("error").asString()).contains("POST /hooks", "'ingest' scope", "'alice'");

        Http.Response jsonRpc = Http.post(mos.baseUrl() + "/mcp", """
                {"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": {"name": "log_event",
                 "arguments": {"event": {"session_id": "scoped-read", "event_type": "task_started"}}}}""",
                "Accept", "application/json, text/event-stream", "Authorization", "Bearer " + reader.token());
        assertThat(jsonRpc.status()).isEqualTo(403);
        assertThat(jsonRpc.body()).contains("log_event", "'ingest' scope");

        Http.Response delete = Http.delete(mos.baseUrl() + "/api/v1/sessions/scoped-read", bearer(reader));
        assertThat(delete.status()).isEqualTo(403);
        assertThat(delete.json().path("error").asString()).contains("'admin' scope");
        assertThat(Http.call(mos.baseUrl(), "delete_session", "{\"session_id\": \"x\"}", bearer(reader)).status())
                .isEqualTo(403);
    }

    @Test
    void anAdminDeletesAndTheAuditLogSaysWho() throws Exception {
        assertThat(Http.post(mos.baseUrl() + "/hooks", hook("scoped-doomed"), bearer(ingest)).status())
                .isEqualTo(200);
        assertThat(Http.post(mos.baseUrl() + "/hooks", hook("scoped-doomed-2"), bearer(ingest)).status())
                .isEqualTo(200);
        Http.Response delete = Http.delete(mos.baseUrl() + "/api/v1/sessions/scoped-doomed", bearer(admin));
        assertThat(delete.status()).as(delete.body()).isEqualTo(200);
        assertThat(Http.get(mos.baseUrl() + "/api/v1/sessions/scoped-doomed", bearer(admin)).status())
                .isEqualTo(404);

        // the same action through a real MCP client over Streamable HTTP, with the admin's token
        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(mos.baseUrl())
                .endpoint("/mcp").httpRequestCustomizer((builder, method, uri, body, context) ->
                        builder.header("Authorization", "Bearer " + admin.token()))
                .build()).requestTimeout(Duration.ofSeconds(30)).build();
        try {
            client.initialize();
            McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("delete_session",
                    Map.of("session_id", "scoped-doomed-2")));
            assertThat(result.isError()).as(String.valueOf(result.content())).isFalse();
        } finally {
            client.closeGracefully();
        }

        Http.Response audit = Http.get(mos.baseUrl() + "/api/v1/audit", bearer(admin));
        assertThat(audit.status()).as(audit.body()).isEqualTo(200);
        List<Map<String, Object>> entries = Http.JSON.convertValue(audit.json().path("entries"),
                new tools.jackson.core.type.TypeReference<List<Map<String, Object>>>() { });
        assertThat(entries).filteredOn(e -> "scoped-doomed".equals(e.get("target"))).singleElement()
                .satisfies(e -> {
                    assertThat(e).containsEntry("actor", "ops").containsEntry("action", "delete_session")
                            .containsEntry("outcome", "ok").containsEntry("address", "127.0.0.1");
                    assertThat((String) e.get("at")).isNotBlank();
                });
        assertThat(entries).filteredOn(e -> "scoped-doomed-2".equals(e.get("target"))).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("actor", "ops").containsEntry("outcome", "ok"));
        assertThat(mos.stderrText()).contains("audit: ops (127.0.0.1) delete_session scoped-doomed -> ok");

        Http.Response notAdmin = Http.get(mos.baseUrl() + "/api/v1/audit", bearer(reader));
        assertThat(notAdmin.status()).isEqualTo(403);
        assertThat(notAdmin.json().path("error").asString()).contains("'admin' scope");
    }

    @Test
    void whatATokenSendsNamesItAsTheSessionsSender() throws Exception {
        assertThat(Http.post(mos.baseUrl() + "/hooks", hook("sent-by-hook"), bearer(ingest)).status()).isEqualTo(200);
        Http.Response otlp = Http.post(mos.baseUrl() + "/v1/logs", """
                {"resourceLogs": [{"scopeLogs": [{"logRecords": [{"timeUnixNano": "1795618593713000000",
                  "attributes": [{"key": "event.name", "value": {"stringValue": "api_request"}},
                    {"key": "session.id", "value": {"stringValue": "sent-by-otlp"}},
                    {"key": "model", "value": {"stringValue": "claude-x"}},
                    {"key": "duration_ms", "value": {"intValue": "40"}}]}]}]}]}""", bearer(ingest));
        assertThat(otlp.status()).as(otlp.body()).isEqualTo(200);
        Http.Response logged = Http.call(mos.baseUrl(), "log_event", """
                {"event": {"session_id": "sent-by-tool", "event_type": "task_started", "details": {"name": "x"}}}""",
                bearer(ingest));
        assertThat(logged.status()).as(logged.body()).isEqualTo(200);

        for (String id : List.of("sent-by-hook", "sent-by-otlp", "sent-by-tool")) {
            Http.Response one = Http.get(mos.baseUrl() + "/api/v1/sessions/" + id, bearer(reader));
            assertThat(one.status()).as(id + ": " + one.body()).isEqualTo(200);
            assertThat(one.json().path("sender").asString()).as(id).isEqualTo("ci-agent");
        }
        List<String> bySender = Http.get(mos.baseUrl() + "/api/v1/sessions?sender=ci-agent&limit=1000", bearer(reader))
                .json().path("sessions").valueStream().map(n -> n.path("session_id").asString()).toList();
        assertThat(bySender).contains("sent-by-hook", "sent-by-otlp", "sent-by-tool");
        assertThat(Http.get(mos.baseUrl() + "/api/v1/sessions?sender=alice", bearer(reader)).json().path("sessions")
                .size()).isZero();
        Http.Response tool = Http.call(mos.baseUrl(), "list_sessions", "{\"sender\": \"ci-agent\", \"limit\": 100}",
                bearer(reader));
        assertThat(tool.json().path("sessions").valueStream().map(n -> n.path("sender").asString()).distinct()
                .toList()).containsExactly("ci-agent");
        assertThat(tool.body()).contains("sent-by-tool");
    }

    @Test
    void noTokenOrAWrongOneIsUnauthorized() throws Exception {
        Http.Response none = Http.get(mos.baseUrl() + "/api/v1/sessions");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().path("error").asString()).contains("missing bearer token");
        Http.Response wrong = Http.post(mos.baseUrl() + "/hooks", hook("x"), "Authorization", "Bearer mos_nope");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).doesNotContain("mos_nope");
        assertThat(Http.get(mos.baseUrl() + "/health").status()).isEqualTo(200);
    }

    @Test
    void theFileIsReReadWhenItChangesAndABadOneKeepsTheLastGoodSet() throws Exception {
        Made late = make("late-joiner", "read");
        Http.Response before = Http.get(mos.baseUrl() + "/api/v1/sessions", bearer(late));
        assertThat(before.status()).isEqualTo(401);
        Made revoked = make("leaver", "read");
        write(ingest, reader, admin, late);
        awaitStatus(late, 200);

        Files.writeString(file, "[{\"name\": \"broken\"");
        // a request looks at the file when the last look is a second old, and the server's stderr reaches us
        // through a pump thread: ask until the bad version has been read and its warning has come through
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300))
                .until(() -> Http.get(mos.baseUrl() + "/api/v1/sessions", bearer(late)).status() == 200
                        && mos.stderrText().contains("keeping the last good set"));
        assertThat(Http.get(mos.baseUrl() + "/api/v1/sessions", bearer(late)).status()).isEqualTo(200);
        assertThat(mos.stderrText()).contains("keeping the last good set");

        write(ingest, reader, admin, revoked);
        awaitStatus(late, 401);
        assertThat(Http.get(mos.baseUrl() + "/api/v1/sessions", bearer(revoked)).status()).isEqualTo(200);
        assertThat(mos.stderrText()).doesNotContain(late.token(), revoked.token());
    }

    @Test
    void aBadFileStopsTheStartNamingTheEntry() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "[{\"name\": \"x\", \"scopes\": [\"read\", \"write\"], \"sha256\": \"00\"}]");
        MosProcess p = MosProcess.start(Map.of("MCP_TOKENS_FILE", bad.toString()), "serve", "--port", "0");
        try {
            assertThat(p.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(p.process.exitValue()).isEqualTo(1);
            assertThat(p.stderrText()).contains(bad.toString(), "entry 0", "write").doesNotContain("\tat ");
        } finally {
            p.close();
        }
    }

    private static void awaitStatus(Made made, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int last;
        do {
            last = Http.get(mos.baseUrl() + "/api/v1/sessions", bearer(made)).status();
            if (last == status) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        assertThat(last).as("status for " + made.line() + " after the file changed").isEqualTo(status);
    }
}
