package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The packaged server over stdio: the SDK's client, and stdout purity checked byte by byte. */
class McpStdioIT {

    @Test
    @SuppressWarnings("unchecked")
    void sdkClientOverStdio() {
        List<String> cmd = MosProcess.command("stdio");
        ServerParameters params = ServerParameters.builder(cmd.getFirst()).args(cmd.subList(1, cmd.size()))
                .addEnvVar("MCP_LOG_LEVEL", "debug")
                .addEnvVar("MCP_DATA_DIR", System.getProperty("java.io.tmpdir") + "/mos-stdio-it-" + ProcessHandle.current().pid())
                .build();
        StdioClientTransport transport = new StdioClientTransport(params,
                new JacksonMcpJsonMapper(Http.JSON));
        List<String> stderr = new ArrayList<>();
        transport.setStdErrorHandler(stderr::add);
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30))
                .initializationTimeout(Duration.ofSeconds(60)).build();
        try {
            McpSchema.InitializeResult init = client.initialize();
            assertThat(init.serverInfo().name()).isEqualTo("mcp-observability-server");
            assertThat(client.listTools().tools()).hasSize(11);
            McpSchema.CallToolResult logged = client.callTool(new McpSchema.CallToolRequest("log_event", Map.of(
                    "event", Map.of("session_id", "stdio-1", "event_type", "subagent_spawn",
                            "correlation_id", "agent-1", "details", Map.of("name", "explorer")))));
            assertThat(logged.isError()).isFalse();
            assertThat((Map<String, Object>) logged.structuredContent()).containsEntry("sequence", 1);
            client.callTool(new McpSchema.CallToolRequest("log_event", Map.of("event", Map.of("session_id",
                    "stdio-1", "event_type", "subagent_complete", "correlation_id", "agent-1",
                    "duration_ms", 65_000))));
            String tree = ((McpSchema.TextContent) client.callTool(new McpSchema.CallToolRequest(
                    "get_activity_tree", Map.of())).content().getFirst()).text();
            assertThat(tree).contains("🤖 explorer ✅ 1m 5s");
        } finally {
            client.closeGracefully();
        }
    }

    /**
     * The store opens after initialize is answered; when it cannot open, the server still answers, and log_event
     * says at once that nothing was stored, naming why (instead of the process dying before Claude Code connects,
     * or a call hanging).
     */
    @Test
    void aStoreThatCannotOpenAnswersNothingWasStoredNamingTheReason() throws Exception {
        java.nio.file.Path notADirectory = java.nio.file.Files.createTempFile("mos-not-a-dir", ".txt");
        try (McpStdio mos = McpStdio.start(Map.of("MCP_DATA_DIR", notADirectory.toString()))) {
            for (int attempt = 0; attempt < 2; attempt++) {
                McpSchema.CallToolResult result = mos.client().callTool(new McpSchema.CallToolRequest("log_event",
                        Map.of("event", Map.of("session_id", "s", "event_type", "tool_pre_call",
                                "correlation_id", "c" + attempt, "details", Map.of("name", "Read")))));
                assertThat(result.isError()).isTrue();
                String text = ((McpSchema.TextContent) result.content().getFirst()).text();
                assertThat(text).contains("nothing was stored").contains("MCP_DATA_DIR")
                        .doesNotContain("Exception").doesNotContain("\tat ");
            }
        } finally {
            java.nio.file.Files.deleteIfExists(notADirectory);
        }
    }

    @Test
    void stdoutCarriesOnlyMcpMessagesAndEofEndsTheProcess() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(MosProcess.command("stdio"));
        pb.environment().put("MCP_LOG_LEVEL", "debug");
        pb.environment().put("DEBUG", "mcp:*");
        pb.environment().put("MCP_DATA_DIR", System.getProperty("java.io.tmpdir") + "/mos-stdio-it-" + ProcessHandle.current().pid());
        Process p = pb.start();
        StringBuilder err = new StringBuilder();
        Thread errReader = new Thread(() -> {
            try {
                err.append(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (Exception ignored) {
                // ended
            }
        });
        errReader.start();
        try (OutputStream in = p.getOutputStream()) {
            String[] messages = {
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                        + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}",
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"log_event\","
                        + "\"arguments\":{\"event\":{\"session_id\":\"raw\",\"event_type\":\"task_started\"}}}}",
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"log_event\","
                        + "\"arguments\":{\"event\":{\"session_id\":\"raw\",\"event_type\":\"oops\"}}}}",
                "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"get_health_status\","
                        + "\"arguments\":{\"detailed\":true}}}",
                "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"get_activity_tree\","
                        + "\"arguments\":{\"session_id\":\"raw\"}}}"};
            for (String m : messages) {
                in.write((m + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        List<JsonNode> replies = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                JsonNode node = Http.JSON.readTree(line);
                assertThat(node.get("jsonrpc").stringValue()).as("stdout line: %s", line).isEqualTo("2.0");
                replies.add(node);
            }
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exits after stdin closes").isTrue();
        errReader.join(5000);
        assertThat(p.exitValue()).isEqualTo(0);
        assertThat(replies).extracting(r -> r.get("id").intValue()).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
        JsonNode refused = replies.stream().filter(r -> r.get("id").intValue() == 3).findFirst().orElseThrow();
        assertThat(refused.get("result").get("isError").booleanValue()).isTrue();
        assertThat(err.toString()).as("debug logging went to stderr").contains("DEBUG");
    }

    @Test
    void aLineThatIsNotJsonRpcIsAnsweredWithAnErrorAndTheSessionGoesOn() throws Exception {
        Path config = Files.createTempFile("mos-stdio", ".json");
        Files.writeString(config, "{\"server\": {\"maxRequestBytes\": 100000}}");
        List<String> command = new ArrayList<>(MosProcess.command("stdio"));
        command.addAll(List.of("--config", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("MCP_DATA_DIR", System.getProperty("java.io.tmpdir") + "/mos-stdio-bad-"
                + ProcessHandle.current().pid());
        Process p = pb.start();
        int calls = 2_000;
        try (OutputStream in = p.getOutputStream()) {
            StringBuilder all = new StringBuilder();
            all.append("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}\r\n");
            all.append("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n");
            all.append("this is not json\n");
            all.append("{\"no\":\"jsonrpc\"}\n");
            all.append("\n");
            all.append("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\",\"params\":{\"pad\":\"")
                    .append("x".repeat(200_000)).append("\"}}\n");
            for (int i = 0; i < calls; i++) {
                all.append("{\"jsonrpc\":\"2.0\",\"id\":").append(100 + i).append(",\"method\":\"tools/call\","
                        + "\"params\":{\"name\":\"log_event\",\"arguments\":{\"event\":{\"session_id\":\"bad-lines\","
                        + "\"event_type\":\"task_started\",\"correlation_id\":\"t").append(i).append("\"}}}}\n");
            }
            // the last line has no newline: the end of input ends it
            all.append("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}");
            in.write(all.toString().getBytes(StandardCharsets.UTF_8));
        }
        List<JsonNode> replies = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                replies.add(Http.JSON.readTree(line));
            }
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exits after stdin closes").isTrue();
        assertThat(p.exitValue()).isEqualTo(0);

        List<String> errors = replies.stream().filter(r -> r.get("id").isNull())
                .map(r -> r.get("error").get("code").intValue() + " " + r.get("error").get("message").stringValue())
                .toList();
        assertThat(errors).hasSize(3);
        assertThat(errors.get(0)).startsWith("-32700 not JSON: Unrecognized token 'this'");
        assertThat(errors.get(1)).startsWith("-32600 not a JSON-RPC message");
        assertThat(errors.get(2)).isEqualTo("-32600 message exceeds server.maxRequestBytes (100000 bytes)");
        List<Integer> answered = replies.stream().filter(r -> !r.get("id").isNull()).map(r -> r.get("id").intValue())
                .toList();
        assertThat(answered).as("initialize, every log_event and the last ping; not the oversized one")
                .hasSize(calls + 2).contains(1, 3, 100, 100 + calls - 1).doesNotContain(2);
        assertThat(replies.stream().filter(r -> r.has("result") && r.get("result").has("isError")
                && r.get("result").get("isError").booleanValue())).isEmpty();
    }
}
