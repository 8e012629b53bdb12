package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.it.ClaudeCode.Proc;
import dev.mos.it.ResponsesApiStandIn.Step;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Real OpenAI Codex CLI ({@link Codex#VERSION}, from npm) set up with {@code mos setup codex --write} runs
 * {@code codex exec} against the Responses API stand-in (a custom model provider on loopback): a command, a failing
 * command, an MCP call to MOS itself and a subagent running its own command. Its OpenTelemetry log events must give
 * one correctly nested tree in MOS; {@code --remove} must give the user's config.toml back as it was.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CodexCliIT {

    @TempDir
    Path tmp;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    @Test
    void setupWriteThenARealRunGivesOneNestedTreeAndRemoveRestoresTheConfig() throws Exception {
        MosProcess mos = MosProcess.serve(Map.of());
        closeables.add(mos);
        ResponsesApiStandIn api = script(new ResponsesApiStandIn());
        closeables.add(api);
        ClaudeRunner runner = new ClaudeRunner("CodexCliIT", tmp);

        Path home = Files.createDirectories(tmp.resolve("home"));
        Path codexHome = Files.createDirectories(tmp.resolve("codex-home"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path config = codexHome.resolve("config.toml");
        // the user's own file: their provider, their [otel] choice to log prompt text, a comment
        String users = "# my Codex setup\n" + providerConfig(api) + """

                [otel]
                # prompt text in telemetry: my choice
                log_user_prompt = true
                """;
        Files.writeString(config, users);

        // found through CODEX_HOME, as Codex finds it; twice: merged once, then nothing to do
        Proc.Result first = runner.run(setup(codexHome, "--url", mos.baseUrl(), "--write"), work);
        assertThat(first.exitCode()).as(runner.lastStderr()).isZero();
        String written = Files.readString(config);
        // the user's top-level keys, then MOS's notify (a top-level key too), then the user's tables as they were
        assertThat(written).startsWith(users.substring(0, users.indexOf("\n[") + 1) + "# mos setup codex")
                .contains(users.substring(users.indexOf("\n[") + 1, users.indexOf("[otel]")))
                .contains("# prompt text in telemetry: my choice\nlog_user_prompt = true")
                .contains("endpoint = \"" + mos.baseUrl() + "/v1/logs\"")
                .contains("endpoint = \"" + mos.baseUrl() + "/v1/traces\"")
                .contains("[mcp_servers.mos]\nurl = \"" + mos.baseUrl() + "/mcp\"")
                .contains("\"hook\", \"--url\", \"" + mos.baseUrl() + "\"]");
        Proc.Result second = runner.run(setup(codexHome, "--url", mos.baseUrl(), "--write"), work);
        assertThat(second.exitCode()).isZero();
        assertThat(runner.lastStderr()).contains("already up to date");
        assertThat(Files.readString(config)).isEqualTo(written);

        Proc.Result run = runner.run(exec(home, codexHome, PROMPT), work);
        assertThat(run.exitCode()).as("codex exec: %s\nstand-in: %s\ntools: %s\nmos: %s", run, api.requestLog,
                api.offeredTools, mos.stderrText()).isZero();
        assertThat(runner.lastStdout()).contains("All done.");

        JsonNode tree = ClaudeCodeHooksIT.awaitTree(mos, t -> complete(t));
        JsonNode task = ClaudeCodeHooksIT.findTask(tree);
        assertThat(task.path("name").asString()).isEqualTo(PROMPT);
        assertThat(task.path("attributes").path("agent").asString()).isEqualTo("codex");
        // closed by the turn's session_task.turn span or by Codex's notify (the logs have no turn end)
        assertThat(task.path("status").asString()).isEqualTo("success");
        // the notify ran `mos hook`, which posted Codex's turn-complete JSON to /hooks (nothing else posts there)
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (!Http.get(mos.baseUrl() + "/metrics").body().lines().anyMatch(l -> l.startsWith(
                "http_server_requests_seconds_count{method=\"POST\",status=\"200\",uri=\"/hooks\"}"))) {
            assertThat(System.nanoTime()).as("no notify reached /hooks; mos: %s", mos.stderrText()).isLessThan(deadline);
            Thread.sleep(200);
        }
        assertThat(task.path("duration_ms").asLong()).isPositive();
        List<JsonNode> ops = children(task).stream().filter(n -> !n.path("kind").asString().equals("llm")).toList();
        assertThat(ops).extracting(n -> n.path("kind").asString() + ":" + n.path("name").asString() + ":"
                + n.path("status").asString())
                .containsExactly("tool:exec_command:success", "tool:exec_command:error",
                        "mcp:mcp__mos__list_sessions:success", "subagent:spawn_agent:success",
                        "tool:wait_agent:success");
        assertThat(ops.get(0).path("attributes").path("command").asString()).isEqualTo("echo hello-from-codex");
        assertThat(ops.get(1).path("attributes").path("command").asString()).isEqualTo("echo boom >&2; exit 3");
        assertThat(ops.get(1).path("attributes").path("error").asString())
                .isEqualTo("Process exited with code 3: boom");
        JsonNode mcp = ops.get(2);
        assertThat(mcp.path("attributes").path("mcp_server").asString()).isEqualTo("mos");
        assertThat(mcp.path("attributes").path("mcp_tool").asString()).isEqualTo("list_sessions");
        // the subagent's own work nests under its spawn_agent call, which lasts until it finished
        JsonNode agent = ops.get(3);
        List<JsonNode> inAgent = children(agent);
        List<JsonNode> agentTools = inAgent.stream().filter(n -> n.path("kind").asString().equals("tool")).toList();
        assertThat(agentTools).hasSize(1);
        assertThat(agentTools.getFirst().path("attributes").path("command").asString())
                .isEqualTo("sleep 0.3; echo sub-slow");
        assertThat(agentTools.getFirst().path("status").asString()).isEqualTo("success");
        assertThat(agentTools.getFirst().path("duration_ms").asLong()).isBetween(300L, 30_000L);
        assertThat(agent.path("duration_ms").asLong())
                .isGreaterThanOrEqualTo(agentTools.getFirst().path("duration_ms").asLong());
        assertThat(inAgent.stream().filter(n -> n.path("kind").asString().equals("llm")).count()).isEqualTo(2);
        // every model call of the main conversation with the model and the tokens the API reported
        List<JsonNode> llm = children(task).stream().filter(n -> n.path("kind").asString().equals("llm")).toList();
        assertThat(llm).hasSize(6).allSatisfy(n -> {
            assertThat(n.path("name").asString()).isEqualTo(MODEL);
            assertThat(n.path("status").asString()).isEqualTo("success");
            assertThat(n.path("attributes").path("input_tokens").asLong()).as("uncached: OpenAI counts the cache inside")
                    .isEqualTo(ResponsesApiStandIn.INPUT_TOKENS - ResponsesApiStandIn.CACHED_TOKENS);
            assertThat(n.path("attributes").path("output_tokens").asLong())
                    .isEqualTo(ResponsesApiStandIn.OUTPUT_TOKENS);
            assertThat(n.path("attributes").path("cache_read_tokens").asLong())
                    .isEqualTo(ResponsesApiStandIn.CACHED_TOKENS);
            // Codex reports no cost: estimated at gpt-5's published prices per million tokens (1.25 uncached
            // input, 10 output, 0.125 cached input)
            assertThat(n.path("attributes").path("cost_usd").asDouble()).isCloseTo(
                    ((ResponsesApiStandIn.INPUT_TOKENS - ResponsesApiStandIn.CACHED_TOKENS) * 1.25
                            + ResponsesApiStandIn.OUTPUT_TOKENS * 10 + ResponsesApiStandIn.CACHED_TOKENS * 0.125) / 1e6,
                    org.assertj.core.data.Offset.offset(1e-9));
            assertThat(n.path("attributes").path("cost_estimated").asBoolean()).isTrue();
        });

        // the same run from Codex's session files, imported into a second server: the same tree
        MosProcess other = MosProcess.serve(Map.of());
        closeables.add(other);
        Proc.Result imported = runner.run(new ProcessBuilder(MosProcess.command("import", "--url", other.baseUrl(),
                codexHome.resolve("sessions").toString())), work);
        assertThat(imported.exitCode()).as(runner.lastStderr()).isZero();
        assertThat(runner.lastStdout()).contains("1 subagent transcript");
        JsonNode importedTree = ClaudeCodeHooksIT.awaitTree(other, t -> ClaudeCodeHooksIT.findTask(t) != null);
        JsonNode importedTask = ClaudeCodeHooksIT.findTask(importedTree);
        assertThat(importedTask.path("id").asString()).isEqualTo(task.path("id").asString());
        assertThat(importedTask.path("name").asString()).isEqualTo(PROMPT);
        assertThat(importedTask.path("status").asString()).isEqualTo("success");
        assertThat(shape(importedTask)).isEqualTo(shape(task));

        // --remove: the user's file exactly as it was
        Proc.Result remove = runner.run(setup(codexHome, "--remove"), work);
        assertThat(remove.exitCode()).as(runner.lastStderr()).isZero();
        assertThat(Files.readString(config)).isEqualTo(users);
    }

    /** The turn ended, all three commands (the subagent's included) and all eight model calls are in. */
    private static boolean complete(JsonNode tree) {
        JsonNode task = ClaudeCodeHooksIT.findTask(tree);
        if (task == null || !task.path("status").asString().equals("success")) {
            return false;
        }
        List<JsonNode> all = new ArrayList<>();
        collect(task, all);
        return all.stream().filter(n -> n.path("kind").asString().equals("llm")
                && !n.path("status").asString().equals("running")).count() >= 8
                && all.stream().filter(n -> n.path("name").asString().equals("exec_command")
                && !n.path("status").asString().equals("running")).count() >= 3
                && all.stream().anyMatch(n -> n.path("kind").asString().equals("subagent")
                && n.path("status").asString().equals("success"));
    }

    /**
     * Kind, name, status, error and tokens of every operation below {@code node}, nesting included; siblings
     * sorted, since a model call from a session file is a point at its usage record, where the live one starts
     * with its request (before the tool call it asked for).
     */
    private static List<String> shape(JsonNode node) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : node.path("children")) {
            out.add(c.path("kind").asString() + ":" + c.path("name").asString() + ":" + c.path("status").asString()
                    + ":" + c.path("attributes").path("error").asString("") + ":" + c.path("attributes")
                    .path("input_tokens").asString("") + " " + shape(c));
        }
        out.sort(null);
        return out;
    }

    private static void collect(JsonNode node, List<JsonNode> into) {
        for (JsonNode c : node.path("children")) {
            into.add(c);
            collect(c, into);
        }
    }

    private static List<JsonNode> children(JsonNode node) {
        return StreamSupport.stream(node.path("children").spliterator(), false).toList();
    }

    /** {@code mos setup codex ARGS} as a user runs it: no --config, the file found from CODEX_HOME. */
    private static ProcessBuilder setup(Path codexHome, String... args) {
        List<String> cmd = new ArrayList<>(List.of("setup", "codex"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(MosProcess.command(cmd.toArray(String[]::new)));
        pb.environment().keySet().removeIf(k -> k.startsWith("CODEX") || k.startsWith("MOS_") || k.startsWith("MCP_"));
        pb.environment().put("CODEX_HOME", codexHome.toString());
        return pb;
    }

    static final String PROMPT = "[[sc:main]] please work";
    static final String MODEL = "gpt-5.1-codex";

    /** The scripted session: a command, a failing command, MOS's own MCP tool, a subagent with its own command. */
    static ResponsesApiStandIn script(ResponsesApiStandIn api) {
        return api.script("main", "All done.",
                        Step.of("exec_command", Map.of("cmd", "echo hello-from-codex")),
                        Step.of("exec_command", Map.of("cmd", "echo boom >&2; exit 3")),
                        Step.namespaced("mcp__mos", "list_sessions", Map.of("limit", 5)),
                        Step.namespaced("multi_agent_v1", "spawn_agent", Map.of("message",
                                "[[sc:sub]] Look around.")),
                        Step.namespaced("multi_agent_v1", "wait_agent", Map.of("targets",
                                List.of(ResponsesApiStandIn.SPAWNED_AGENT), "timeout_ms", 60000)))
                .script("sub", "Subagent finished.",
                        Step.of("exec_command", Map.of("cmd", "sleep 0.3; echo sub-slow")));
    }

    /** config.toml lines that make the stand-in Codex's model provider (no retries: a failure shows at once). */
    static String providerConfig(ResponsesApiStandIn api) {
        return """
                model = "%s"
                model_provider = "standin"

                [model_providers.standin]
                name = "Responses API stand-in"
                base_url = "%s"
                wire_api = "responses"
                env_key = "STANDIN_API_KEY"
                request_max_retries = 0
                stream_max_retries = 0
                """.formatted(MODEL, api.baseUrl());
    }

    /** {@code codex exec} of {@code prompt}, non-interactive, no sandbox or approvals, outside a git repository. */
    static ProcessBuilder exec(Path home, Path codexHome, String prompt) {
        List<String> cmd = new ArrayList<>(List.of(Codex.executable().toString(), "exec", "--skip-git-repo-check",
                "--dangerously-bypass-approvals-and-sandbox", "--color", "never", prompt));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Codex.isolate(pb.environment(), home, codexHome);
        pb.environment().put("STANDIN_API_KEY", "sk-test-not-a-real-key");
        return pb;
    }
}
