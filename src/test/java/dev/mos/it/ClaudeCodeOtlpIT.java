package dev.mos.it;

import static dev.mos.it.ClaudeCodeHooksIT.awaitTree;
import static dev.mos.it.ClaudeCodeHooksIT.list;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.it.ClaudeCode.Proc;
import dev.mos.it.MessagesApiStandIn.Step;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Real Claude Code ({@link ClaudeCode#VERSION}) exporting its OpenTelemetry logs, metrics and beta traces to MOS,
 * over OTLP JSON and protobuf, alone or with the hooks: each combination must give one tree with the prompt's task
 * closed, the subagent's tools and model calls nested under it, the failing tool failed, and nothing twice; metric
 * points land in the session's timeline.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClaudeCodeOtlpIT {


    @TempDir
    Path tmp;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    private ClaudeRunner runner;

    @BeforeEach
    void runner() {
        runner = new ClaudeRunner("ClaudeCodeOtlpIT", tmp);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private MessagesApiStandIn script() throws Exception {
        MessagesApiStandIn api = new MessagesApiStandIn()
                .script("otlp", "All done.",
                        Step.of("Bash", Map.of("command", "echo hello", "description", "Say hello")),
                        Step.of("Bash", Map.of("command", "exit 3", "description", "Fail on purpose")),
                        Step.of("Agent", Map.of("description", "Inspect", "prompt", "[[sc:otlpsub]] Look around.",
                                "subagent_type", "general-purpose", "run_in_background", false)))
                .script("otlpsub", "Subagent finished.",
                        Step.of("Bash", Map.of("command", "sleep 0.3; echo sub", "description", "Slow step")));
        closeables.add(api);
        return api;
    }

    /** Metrics, the beta traces and (when asked) logs, exported quickly so the test stays short. */
    private static Map<String, String> otel(MosProcess mos, String protocol, boolean logs) {
        Map<String, String> env = new HashMap<>(Map.of("CLAUDE_CODE_ENABLE_TELEMETRY", "1",
                "OTEL_METRICS_EXPORTER", "otlp", "OTEL_LOGS_EXPORTER", logs ? "otlp" : "none",
                "OTEL_EXPORTER_OTLP_PROTOCOL", protocol, "OTEL_EXPORTER_OTLP_ENDPOINT", mos.baseUrl(),
                "OTEL_LOGS_EXPORT_INTERVAL", "300", "OTEL_METRIC_EXPORT_INTERVAL", "1000"));
        env.put("CLAUDE_CODE_ENHANCED_TELEMETRY_BETA", "1");
        env.put("OTEL_TRACES_EXPORTER", "otlp");
        return env;
    }

    /**
     * One scripted {@code claude -p} run exporting OTLP over {@code protocol} (logs when asked, metrics and traces
     * always), with MOS's hooks written into its settings when asked; returns the server it reported to.
     */
    private MosProcess runClaude(boolean hooks, String protocol, boolean logs) throws Exception {
        MosProcess mos = MosProcess.serve(Map.of());
        closeables.add(mos);
        MessagesApiStandIn api = script();
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        if (hooks) {
            Proc.Result setup = runner.writeHooks(mos, home.resolve(".claude/settings.json"), work);
            assertThat(setup.exitCode()).isZero();
        }
        Proc.Result run = runner.claude(home, work, api, otel(mos, protocol, logs), "-p", "[[sc:otlp]] go",
                "--permission-mode", "bypassPermissions");
        assertThat(run.exitCode()).as("claude -p: %s", run).isZero();
        return mos;
    }

    @Test
    void otlpJsonLogsMetricsAndTracesAloneGiveOneClosedNestedTree() throws Exception {
        MosProcess mos = runClaude(false, "http/json", true);

        JsonNode tree = awaitTree(mos, t -> complete(t, 6));
        assertOneTree(tree, 6);
        assertMetricsRecorded(mos, tree.path("session_id").asString());
    }

    @Test
    void hooksLogsAndTracesOverProtobufTogetherGiveOneTree() throws Exception {
        MosProcess mos = runClaude(true, "http/protobuf", true);

        JsonNode tree = awaitTree(mos, t -> complete(t, 6) && allToolsEnriched(findTask(t)));
        assertOneTree(tree, 6);
    }

    @Test
    void hooksAndTracesWithoutLogsGiveOneTaskPerPrompt() throws Exception {
        MosProcess mos = runClaude(true, "http/protobuf", false);

        // No log record links the trace to its prompt: the interaction's times join it to the hooks' task.
        JsonNode tree = awaitTree(mos, t -> complete(t, 6));
        assertOneTree(tree, 6);
        assertThat(findTask(tree).path("id").asString()).startsWith("prompt:");
    }

    @Test
    void tracesAloneGiveTheNestedTree() throws Exception {
        MosProcess mos = runClaude(false, "http/protobuf", false);

        JsonNode tree = awaitTree(mos, t -> complete(t, 6));
        assertOneTree(tree, 6);
        assertThat(findTask(tree).path("id").asString()).startsWith("trace:");
    }

    /** The prompt's task: {@code prompt:<id>}, or {@code trace:<id>} when only traces name it. */
    private static JsonNode findTask(JsonNode tree) {
        for (JsonNode root : tree.path("tree")) {
            String id = root.path("id").asString();
            if (id.startsWith("prompt:") || id.startsWith("trace:")) {
                return root;
            }
        }
        return null;
    }

    /** A finished task with its three tools and all model calls (main loop and subagent). */
    private static boolean complete(JsonNode tree, int llmCalls) {
        JsonNode task = findTask(tree);
        if (task == null || !"success".equals(task.path("status").asString())) {
            return false;
        }
        List<JsonNode> nodes = new ArrayList<>();
        collect(task, nodes);
        return nodes.stream().filter(n -> n.path("kind").asString().equals("llm")).count() >= llmCalls
                && nodes.stream().filter(n -> Set.of("tool", "subagent").contains(n.path("kind").asString()))
                        .count() >= 4;
    }

    private static boolean allToolsEnriched(JsonNode task) {
        List<JsonNode> nodes = new ArrayList<>();
        collect(task, nodes);
        return nodes.stream().filter(n -> n.path("kind").asString().equals("tool"))
                .allMatch(n -> n.path("progress").size() >= 2);
    }

    private static void collect(JsonNode node, List<JsonNode> out) {
        out.add(node);
        node.path("children").forEach(c -> collect(c, out));
    }

    private static void assertOneTree(JsonNode tree, int llmCalls) {
        List<JsonNode> tasks = list(tree.path("tree")).stream().filter(n -> n.path("kind").asString().equals("task")
                && !n.path("id").asString().equals("otel_metrics") && !n.path("name").asString()
                        .startsWith("Session")).toList();
        assertThat(tasks).as("one task: %s", tree).hasSize(1);
        JsonNode task = findTask(tree);
        assertThat(task.path("status").asString()).isEqualTo("success");
        assertThat(list(task.path("children")).stream().filter(n -> !n.path("kind").asString().equals("llm"))
                .map(n -> n.path("kind").asString() + ":" + n.path("name").asString() + ":"
                        + n.path("status").asString()).toList())
                .as("task children: %s", task)
                .containsExactly("tool:Bash:success", "tool:Bash:error", "subagent:Agent:success");
        assertThat(list(task.path("children")).stream().filter(n -> n.path("kind").asString().equals("llm"))
                .toList()).hasSize(llmCalls - 2).allSatisfy(n -> {
                    assertThat(n.path("status").asString()).isEqualTo("success");
                    assertThat(n.path("attributes").path("input_tokens").asLong()).isEqualTo(120L);
                });
        JsonNode agent = list(task.path("children")).stream()
                .filter(n -> n.path("kind").asString().equals("subagent")).findFirst().orElseThrow();
        List<JsonNode> inAgent = list(agent.path("children"));
        assertThat(inAgent.stream().filter(n -> n.path("kind").asString().equals("tool"))
                .map(n -> n.path("name").asString() + ":" + n.path("status").asString()).toList())
                .containsExactly("Bash:success");
        assertThat(inAgent.stream().filter(n -> n.path("kind").asString().equals("llm")).count()).isEqualTo(2);
        JsonNode slow = inAgent.stream().filter(n -> n.path("kind").asString().equals("tool")).findFirst()
                .orElseThrow();
        assertThat(slow.path("duration_ms").asLong()).isBetween(300L, 30_000L);
        List<JsonNode> all = new ArrayList<>();
        list(tree.path("tree")).forEach(n -> collect(n, all));
        Set<String> ids = new HashSet<>();
        for (JsonNode n : all) {
            assertThat(ids.add(n.path("id").asString())).as("duplicate node %s", n.path("id")).isTrue();
        }
        assertThat(tree.path("running_count").asInt()).isZero();
    }

    private static void assertMetricsRecorded(MosProcess mos, String sessionId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        double cost = 0;
        double llmCost = 0;
        while (System.nanoTime() < deadline) {
            Http.Response r = Http.get(mos.baseUrl() + "/api/v1/sessions/" + sessionId + "/events?limit=1000");
            assertThat(r.status()).isEqualTo(200);
            cost = 0;
            llmCost = 0;
            for (JsonNode e : r.json().path("events")) {
                JsonNode d = e.path("details");
                if ("otel_metric".equals(d.path("source").asString())
                        && "claude_code.cost.usage".equals(d.path("metric").asString())) {
                    assertThat(e.path("event_type").asString()).isEqualTo("task_progress");
                    assertThat(e.path("status").asString()).isEqualTo("success");
                    cost += d.path("value").asDouble();
                }
                if (e.path("event_type").asString().equals("llm_response")
                        && "otel".equals(d.path("source").asString())) {
                    llmCost += d.path("cost_usd").asDouble();
                }
            }
            if (cost > 0 && Math.abs(cost - llmCost) < 1e-9) {
                break;
            }
            Thread.sleep(300);
        }
        // the cost metric adds up to what the logged model calls cost
        assertThat(cost).isPositive();
        assertThat(cost).isCloseTo(llmCost, org.assertj.core.api.Assertions.within(1e-9));
        // and the session summary rolls the model calls up (not the metric points as well: that would double it)
        JsonNode usage = Http.get(mos.baseUrl() + "/api/v1/sessions/" + sessionId).json().path("usage");
        assertThat(usage.path("source").asString()).isEqualTo("llm_operations");
        assertThat(usage.path("cost_usd").asDouble())
                .isCloseTo(llmCost, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(usage.path("input_tokens").asLong()).isPositive();
        assertThat(usage.path("by_model").size()).isPositive();
    }
}
