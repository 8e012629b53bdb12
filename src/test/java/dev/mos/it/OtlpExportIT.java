package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mos.pg.PostgresServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * OTLP trace export end to end, against the packaged jar: MOS A exporting into MOS B's /v1/traces (B's tree of the
 * session must be A's), into an in-test OTLP receiver (attributes, ids, resource, batching), into dead backends
 * (ingestion unaffected, the otlpExport breaker opens, export resumes when the backend is back), and driven at run
 * time by configure_otel_export through a real MCP client.
 */
class OtlpExportIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static Path config(String json) throws Exception {
        Path file = Files.createTempFile("mos-otlp-export", ".json");
        Files.writeString(file, json);
        file.toFile().deleteOnExit();
        return file;
    }

    private static MosProcess serve(Map<String, String> env, String configJson) throws Exception {
        Map<String, String> e = new LinkedHashMap<>(env);
        e.put("MCP_STORE", "memory");
        return MosProcess.serve(e, "--config", config(configJson).toString());
    }

    private static void log(MosProcess mos, String json) throws Exception {
        Http.Response r = Http.call(mos.baseUrl(), "log_event", "{\"event\": " + json + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    /**
     * A nested session like Claude Code's: a task with a tool, an MCP call, a subagent with a tool inside, an LLM
     * call with tokens and cost, and a failing tool. 7 operations.
     */
    private static void feedSession(MosProcess mos, String s) throws Exception {
        feedSessionAcross(List.of(mos), s);
    }

    /** The same session, its events sent to the replicas in turn (as a load balancer would). */
    private static void feedSessionAcross(List<MosProcess> replicas, String s) throws Exception {
        int[] next = {0};
        java.util.function.Supplier<MosProcess> pick = () -> replicas.get(next[0]++ % replicas.size());
        long t = System.currentTimeMillis() - 60_000;
        event(pick.get(), s, "task_started", t, "task-1", "Fix the build", "", ", \"project\": \"/w/app\"");
        event(pick.get(), s, "tool_pre_call", t + 100, "toolu_1", "Bash", ", \"parent_id\": \"task-1\"", "");
        event(pick.get(), s, "tool_post_call", t + 300, "toolu_1", "Bash", "", "");
        event(pick.get(), s, "mcp_request", t + 400, "mcp-1", "mcp__github__search", ", \"parent_id\": \"task-1\"", "");
        event(pick.get(), s, "mcp_response", t + 450, "mcp-1", "mcp__github__search", "", "");
        event(pick.get(), s, "subagent_spawn", t + 500, "agent-1", "Explore", ", \"parent_id\": \"task-1\"",
                ", \"subagent_type\": \"Explore\"");
        event(pick.get(), s, "tool_pre_call", t + 550, "toolu_2", "Read", ", \"parent_id\": \"agent-1\"", "");
        event(pick.get(), s, "tool_post_call", t + 600, "toolu_2", "Read", "", "");
        event(pick.get(), s, "subagent_complete", t + 800, "agent-1", "Explore", "", "");
        event(pick.get(), s, "llm_response", t + 1_000, "llm:req_1", "claude-sonnet-4-5",
                ", \"parent_id\": \"task-1\", \"duration_ms\": 150", ", \"model\": \"claude-sonnet-4-5\", "
                        + "\"input_tokens\": 1200, \"output_tokens\": 340, \"cache_read_tokens\": 5000, "
                        + "\"cost_usd\": 0.0123");
        event(pick.get(), s, "tool_pre_call", t + 1_100, "toolu_3", "Bash", ", \"parent_id\": \"task-1\"", "");
        event(pick.get(), s, "tool_error", t + 1_250, "toolu_3", "Bash", ", \"status\": \"error\"",
                ", \"error\": \"exit status 2\"");
        event(pick.get(), s, "task_complete", t + 1_500, "task-1", "Fix the build", "", "");
    }

    private static void event(MosProcess mos, String session, String type, long t, String corr, String name,
            String fields, String details) throws Exception {
        log(mos, "{\"session_id\": \"" + session + "\", \"event_type\": \"" + type + "\", \"timestamp\": " + t
                + ", \"correlation_id\": \"" + corr + "\"" + fields + ", \"details\": {\"name\": \"" + name + "\""
                + details + "}}");
    }

    private static JsonNode tree(MosProcess mos, String session) throws Exception {
        Http.Response r = Http.get(mos.baseUrl() + "/api/v1/sessions/" + session + "/tree");
        return r.status() == 200 ? r.json().path("tree") : null;
    }

    /** What must survive the round trip: ids, kinds, names, statuses, durations, nesting, tokens and cost. */
    private static List<Map<String, Object>> shape(JsonNode nodes) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonNode n : nodes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", n.path("id").asString());
            m.put("kind", n.path("kind").asString());
            m.put("name", n.path("name").asString());
            m.put("status", n.path("status").asString());
            m.put("duration_ms", n.path("duration_ms").asLong());
            m.put("start", n.path("start").asString());
            JsonNode a = n.path("attributes");
            for (String k : List.of("input_tokens", "output_tokens", "cache_read_tokens", "cost_usd", "model",
                    "error")) {
                if (a.has(k)) {
                    m.put(k, a.get(k).asString());
                }
            }
            m.put("children", shape(n.path("children")));
            out.add(m);
        }
        return out;
    }

    private static int count(JsonNode nodes) {
        int n = 0;
        for (JsonNode node : nodes) {
            n += 1 + count(node.path("children"));
        }
        return n;
    }

    private static double metric(MosProcess mos, String line) throws Exception {
        String body = Http.get(mos.baseUrl() + "/metrics").body();
        Matcher m = Pattern.compile("^" + Pattern.quote(line) + " (\\S+)$", Pattern.MULTILINE).matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    private static double spans(MosProcess mos, String outcome) throws Exception {
        return metric(mos, "mos_otlp_export_spans_total{outcome=\"" + outcome + "\"}");
    }

    private static final String FAST = """
            {"otlpExport": {"flushIntervalMs": 300, "timeoutMs": 2000},
             "circuitBreaker": {"minimumCalls": 2, "slidingWindowSize": 2, "waitInOpenMs": 1500}}""";

    @Test
    void aSessionExportedIntoASecondMosHasTheSameTree() throws Exception {
        try (MosProcess b = serve(Map.of(), "{}");
                MosProcess a = serve(Map.of("MCP_OTLP_EXPORT_ENDPOINT", b.baseUrl()), FAST)) {
            feedSession(a, "rt-1");
            await().atMost(WAIT).untilAsserted(() -> {
                JsonNode got = tree(b, "rt-1");
                assertThat(got).isNotNull();
                assertThat(count(got)).isEqualTo(7);
            });
            List<Map<String, Object>> expected = shape(tree(a, "rt-1"));
            List<Map<String, Object>> got = shape(tree(b, "rt-1"));
            assertThat(got).isEqualTo(expected);
            // spot checks, so that a shape that lost everything cannot pass
            Map<String, Object> task = expected.getFirst();
            assertThat(task.get("name")).isEqualTo("Fix the build");
            assertThat(task.get("duration_ms")).isEqualTo(1500L);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> children = (List<Map<String, Object>>) task.get("children");
            assertThat(children).extracting(c -> c.get("kind")).containsExactly("tool", "mcp", "subagent", "llm",
                    "tool");
            assertThat(children.get(3)).containsEntry("input_tokens", "1200").containsEntry("cost_usd", "0.0123");
            assertThat(children.get(4)).containsEntry("status", "error").containsEntry("error", "exit status 2");
            assertThat(((List<?>) children.get(2).get("children"))).hasSize(1);

            await().atMost(WAIT).until(() -> spans(a, "exported") >= 7);
            assertThat(spans(a, "failed")).isZero();
            assertThat(spans(a, "dropped")).isZero();
            // B got them marked as relayed, and its own feed of them is never exported again (loop guard)
            assertThat(Http.get(b.baseUrl() + "/api/v1/sessions/rt-1/events").body()).contains("mos_relayed");
        }
    }

    @Test
    void anOtlpReceiverGetsGenAiAttributesDeterministicIdsAndBatches() throws Exception {
        try (OtlpCaptureServer receiver = OtlpCaptureServer.start();
                MosProcess a = serve(Map.of("MCP_OTLP_EXPORT_ENDPOINT", receiver.baseUrl(),
                        "MCP_OTLP_EXPORT_HEADERS", "x-api-key=s3cret-value"), """
                        {"server": {"name": "mos-under-test"},
                         "otlpExport": {"flushIntervalMs": 1500, "maxBatchSize": 100}}""")) {
            feedSession(a, "cap-1");
            await().atMost(WAIT).until(() -> receiver.spans().size() >= 7);
            assertThat(receiver.spans()).hasSize(7);
            // batched: the session's spans did not go one request each
            assertThat(receiver.received).anySatisfy(r -> assertThat(r.spans().size()).isGreaterThan(1));
            assertThat(receiver.received).allSatisfy(r ->
                    assertThat(r.header("x-api-key")).isEqualTo("s3cret-value"));
            var resource = receiver.received.getFirst().resource().getAttributesList();
            assertThat(OtlpCaptureServer.text(resource, "service.name")).isEqualTo("mos-under-test");
            assertThat(OtlpCaptureServer.text(resource, "service.version")).isNotBlank();
            assertThat(OtlpCaptureServer.text(resource, "service.instance.id")).isNotBlank();

            Map<String, Span> byOp = receiver.spans().stream().collect(Collectors.toMap(
                    sp -> OtlpCaptureServer.text(sp.getAttributesList(), "mos.operation.id"), Function.identity()));
            Span task = byOp.get("task-1");
            Span llm = byOp.get("llm:req_1");
            Span agent = byOp.get("agent-1");
            Span read = byOp.get("toolu_2");
            Span failed = byOp.get("toolu_3");
            Span mcp = byOp.get("mcp-1");
            assertThat(task.getParentSpanId().isEmpty()).isTrue();
            for (Span sp : byOp.values()) {
                assertThat(sp.getTraceId()).isEqualTo(task.getTraceId());
                assertThat(OtlpCaptureServer.text(sp.getAttributesList(), "gen_ai.conversation.id"))
                        .isEqualTo("cap-1");
                assertThat(OtlpCaptureServer.text(sp.getAttributesList(), "session.id")).isEqualTo("cap-1");
            }
            assertThat(agent.getParentSpanId()).isEqualTo(task.getSpanId());
            assertThat(read.getParentSpanId()).isEqualTo(agent.getSpanId());
            assertThat(task.getEndTimeUnixNano() - task.getStartTimeUnixNano()).isEqualTo(1_500_000_000L);

            var l = llm.getAttributesList();
            assertThat(llm.getName()).isEqualTo("chat claude-sonnet-4-5");
            assertThat(llm.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
            assertThat(OtlpCaptureServer.text(l, "gen_ai.operation.name")).isEqualTo("chat");
            assertThat(OtlpCaptureServer.text(l, "gen_ai.provider.name")).isEqualTo("anthropic");
            assertThat(OtlpCaptureServer.text(l, "gen_ai.request.model")).isEqualTo("claude-sonnet-4-5");
            assertThat(OtlpCaptureServer.attribute(l, "gen_ai.usage.input_tokens").getIntValue()).isEqualTo(1200);
            assertThat(OtlpCaptureServer.attribute(l, "gen_ai.usage.output_tokens").getIntValue()).isEqualTo(340);
            assertThat(OtlpCaptureServer.attribute(l, "gen_ai.usage.cache_read.input_tokens").getIntValue())
                    .isEqualTo(5000);
            assertThat(OtlpCaptureServer.attribute(l, "mos.cost_usd").getDoubleValue()).isEqualTo(0.0123);
            assertThat(OtlpCaptureServer.text(agent.getAttributesList(), "gen_ai.operation.name"))
                    .isEqualTo("invoke_agent");
            assertThat(OtlpCaptureServer.text(agent.getAttributesList(), "gen_ai.agent.name")).isEqualTo("Explore");
            assertThat(OtlpCaptureServer.text(read.getAttributesList(), "gen_ai.operation.name"))
                    .isEqualTo("execute_tool");
            assertThat(OtlpCaptureServer.text(read.getAttributesList(), "gen_ai.tool.name")).isEqualTo("Read");
            assertThat(OtlpCaptureServer.text(read.getAttributesList(), "gen_ai.tool.call.id")).isEqualTo("toolu_2");
            assertThat(OtlpCaptureServer.text(mcp.getAttributesList(), "mcp.method.name")).isEqualTo("tools/call");
            assertThat(OtlpCaptureServer.text(mcp.getAttributesList(), "gen_ai.tool.name")).isEqualTo("search");
            assertThat(failed.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
            assertThat(failed.getStatus().getMessage()).isEqualTo("exit status 2");
            assertThat(OtlpCaptureServer.text(task.getAttributesList(), "mos.project")).isEqualTo("/w/app");

            // the header is a secret: not in the server's output
            assertThat(a.stderrText()).doesNotContain("s3cret-value");
        }
    }

    @Test
    void aDeadBackendNeverHoldsUpIngestionAndExportResumesWhenItIsBack() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        String conf = """
                {"otlpExport": {"flushIntervalMs": 50, "maxBatchSize": 1, "timeoutMs": 1000},
                 "circuitBreaker": {"minimumCalls": 2, "slidingWindowSize": 2, "waitInOpenMs": 3000}}""";
        try (MosProcess a = serve(Map.of("MCP_OTLP_EXPORT_ENDPOINT", "http://127.0.0.1:" + port), conf)) {
            for (int i = 0; i < 3; i++) {
                feedSession(a, "dead-" + i); // every log_event answered 200 (asserted in log())
            }
            for (int i = 0; i < 3; i++) {
                assertThat(count(tree(a, "dead-" + i))).isEqualTo(7); // nothing lost in A
            }
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(metric(a, "resilience4j_circuitbreaker_state{name=\"otlpExport\",state=\"open\"}"))
                        .isEqualTo(1.0);
                assertThat(spans(a, "failed")).isGreaterThanOrEqualTo(2);
                assertThat(spans(a, "dropped") + spans(a, "failed")).isEqualTo(21);
            });
            assertThat(spans(a, "exported")).isZero();

            // the backend comes back: after waitInOpenMs the breaker lets trial calls through and export resumes
            try (OtlpCaptureServer back = OtlpCaptureServer.startOn(port)) {
                await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    feedSession(a, "back-" + System.nanoTime());
                    assertThat(back.spans()).isNotEmpty();
                    assertThat(metric(a, "resilience4j_circuitbreaker_state{name=\"otlpExport\",state=\"closed\"}"))
                            .isEqualTo(1.0);
                });
                assertThat(spans(a, "exported")).isPositive();
            }
        }
    }

    @Test
    void aBackendThatNeverAnswersTimesOutAndOpensTheBreaker() throws Exception {
        try (OtlpCaptureServer stuck = OtlpCaptureServer.hanging();
                MosProcess a = serve(Map.of("MCP_OTLP_EXPORT_ENDPOINT", stuck.baseUrl()), """
                        {"otlpExport": {"flushIntervalMs": 50, "maxBatchSize": 1, "timeoutMs": 300},
                         "circuitBreaker": {"minimumCalls": 2, "slidingWindowSize": 2, "waitInOpenMs": 60000}}""")) {
            long started = System.nanoTime();
            for (int i = 0; i < 2; i++) {
                feedSession(a, "stuck-" + i);
            }
            long feedMs = (System.nanoTime() - started) / 1_000_000;
            assertThat(count(tree(a, "stuck-0"))).isEqualTo(7);
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(metric(a, "resilience4j_circuitbreaker_state{name=\"otlpExport\",state=\"open\"}"))
                        .isEqualTo(1.0);
                assertThat(spans(a, "failed")).isGreaterThanOrEqualTo(2);
                assertThat(spans(a, "dropped") + spans(a, "failed")).isEqualTo(14);
            });
            JsonNode health = Http.get(a.baseUrl() + "/health").json();
            assertThat(health.path("status").asString()).isIn("healthy", "warning");
            System.out.println("[OtlpExportIT] 26 log_event calls against a stuck export backend took " + feedMs
                    + " ms");
        }
    }

    @Test
    void replicasOnOnePostgresExportEachOperationOnce() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        try (OtlpCaptureServer receiver = OtlpCaptureServer.start()) {
            Map<String, String> env = Map.of("MCP_STORE", "postgres", "MCP_DATABASE_URL",
                    pg.url(pg.createDatabase()), "MCP_OTLP_EXPORT_ENDPOINT", receiver.baseUrl());
            String conf = "{\"otlpExport\": {\"flushIntervalMs\": 300}}";
            try (MosProcess a = MosProcess.serve(env, "--config", config(conf).toString());
                    MosProcess b = MosProcess.serve(env, "--config", config(conf).toString())) {
                // every second event to the other replica: each sees the whole session through the relay
                feedSessionAcross(List.of(a, b), "ha-export");
                await().atMost(WAIT).until(() -> receiver.spans().size() >= 7);
                Thread.sleep(2_000); // a few flush intervals more: a duplicate would arrive by now
                List<String> ops = receiver.spans().stream()
                        .map(sp -> OtlpCaptureServer.text(sp.getAttributesList(), "mos.operation.id")).toList();
                assertThat(ops).hasSize(7).doesNotHaveDuplicates();
                assertThat(spans(a, "exported") + spans(b, "exported")).isEqualTo(7);
                assertThat(spans(a, "exported")).isPositive();
                assertThat(spans(b, "exported")).isPositive();
                // both replicas built the same tree for the spans they exported: one trace, nested as on A
                assertThat(receiver.spans().stream().map(Span::getTraceId).distinct()).hasSize(1);
            }
        }
    }

    private static McpSyncClient connect(String baseUrl) {
        McpSyncClient c = McpClient.sync(HttpClientStreamableHttpTransport.builder(baseUrl).endpoint("/mcp").build())
                .requestTimeout(Duration.ofSeconds(30)).build();
        c.initialize();
        return c;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> configure(McpSyncClient c, Map<String, Object> args, boolean expectError) {
        McpSchema.CallToolResult r = c.callTool(new McpSchema.CallToolRequest("configure_otel_export", args));
        String text = ((McpSchema.TextContent) r.content().getFirst()).text();
        assertThat(text).doesNotContain("s3cret");
        assertThat(String.valueOf(r.structuredContent())).doesNotContain("s3cret");
        assertThat(r.isError()).as(text).isEqualTo(expectError);
        return expectError ? Map.of("error", text) : (Map<String, Object>) r.structuredContent();
    }

    @Test
    void configureOtelExportSwitchesDisablesReportsAndNeverEchoesHeaders() throws Exception {
        try (OtlpCaptureServer first = OtlpCaptureServer.start();
                OtlpCaptureServer second = OtlpCaptureServer.start();
                MosProcess a = serve(Map.of(), """
                        {"otlpExport": {"flushIntervalMs": 200, "allowRuntimeConfig": true}}""");
                MosProcess locked = serve(Map.of(), "{}")) {
            McpSyncClient c = connect(a.baseUrl());
            McpSyncClient lockedClient = connect(locked.baseUrl());
            try {
                Map<String, Object> status = configure(c, Map.of(), false);
                assertThat(status).containsEntry("enabled", false).containsEntry("runtime_config_allowed", true);

                // the safe default: a server whose config does not allow it refuses changes, but reports
                Map<String, Object> refused = configure(lockedClient, Map.of("endpoint", first.baseUrl()), true);
                assertThat(refused.get("error").toString()).contains("otlpExport.allowRuntimeConfig");
                assertThat(configure(lockedClient, Map.of(), false)).containsEntry("enabled", false);

                Map<String, Object> set = configure(c, Map.of("endpoint", first.baseUrl() + "/?token=s3cret-q",
                        "headers", Map.of("Authorization", "Bearer s3cret-token")), false);
                assertThat(set).containsEntry("enabled", true).containsEntry("header_count", 1)
                        .containsEntry("protocol", "http/protobuf").containsEntry("breaker_state", "CLOSED");
                assertThat(set.get("endpoint").toString()).isEqualTo(first.baseUrl() + "/");
                feedSession(a, "tool-1");
                await().atMost(WAIT).until(() -> first.spans().size() >= 7);
                assertThat(first.received.getFirst().header("Authorization")).isEqualTo("Bearer s3cret-token");

                // switch: new spans go to the second receiver; headers meant for the first are not carried over
                Map<String, Object> switched = configure(c, Map.of("endpoint", second.baseUrl()), false);
                assertThat(switched).containsEntry("header_count", 0); // another backend: credentials not carried
                feedSession(a, "tool-2");
                await().atMost(WAIT).until(() -> second.spans().size() >= 7);
                assertThat(first.spans()).hasSize(7);

                Map<String, Object> off = configure(c, Map.of("enabled", false), false);
                assertThat(off).containsEntry("enabled", false);
                feedSession(a, "tool-3");
                Thread.sleep(1_500); // several flush intervals: nothing may arrive while off
                assertThat(second.spans()).hasSize(7);

                // bad arguments name what is wrong and never show a header value
                assertThat(configure(c, Map.of("endpoint", "ftp://x"), true).get("error").toString())
                        .contains("http:// or https://");
                assertThat(configure(c, Map.of("endpoint", second.baseUrl(), "headers", "Authorization"), true)
                        .get("error").toString()).contains("no '='");

                // loop guard: MOS exporting to its own /v1/traces does not duplicate operations or loop
                configure(c, Map.of("endpoint", a.baseUrl()), false);
                feedSession(a, "self-1");
                await().atMost(WAIT).until(() -> ((Number) configure(c, Map.of(), false).get("exported"))
                        .longValue() >= 21);
                Thread.sleep(1_500);
                assertThat(count(tree(a, "self-1"))).isEqualTo(7);
                Map<String, Object> last = configure(c, Map.of(), false);
                assertThat(((Number) last.get("exported")).longValue()).isEqualTo(21);
                assertThat(last.get("last_error")).isNull();
            } finally {
                c.closeGracefully();
                lockedClient.closeGracefully();
            }
            assertThat(a.stderrText()).doesNotContain("s3cret");
        }
    }
}
