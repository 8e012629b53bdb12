package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.it.ClaudeCode.Proc;
import dev.mos.it.MessagesApiStandIn.Step;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Real Claude Code ({@link ClaudeCode#VERSION}) set up with {@code mos setup claude-code --write} runs a scripted
 * session against a Messages API stand-in: a Bash call, a failing Bash call, a subagent running its own (slow) Bash
 * call, and an MCP call to MOS itself. Its HTTP hooks (and the SessionStart command hook, {@code mos hook}) must give
 * one correctly nested tree with Claude Code's own durations and statuses.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClaudeCodeHooksIT {


    @TempDir
    Path tmp;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    private ClaudeRunner runner;

    @BeforeEach
    void runner() {
        runner = new ClaudeRunner("ClaudeCodeHooksIT", tmp);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    @Test
    void setupWriteThenARealRunGivesOneNestedTree() throws Exception {
        MosProcess mos = MosProcess.serve(Map.of());
        closeables.add(mos);
        MessagesApiStandIn api = new MessagesApiStandIn()
                .script("main", "All done.",
                        Step.of("Bash", Map.of("command", "echo hello-from-bash", "description", "Say hello")),
                        Step.of("Bash", Map.of("command", "echo boom >&2; exit 3", "description", "Fail on purpose")),
                        Step.of("Agent", Map.of("description", "Inspect the project", "prompt",
                                "[[sc:sub]] Look around.", "subagent_type", "general-purpose",
                                "run_in_background", false)),
                        Step.of("mcp__mos__list_sessions", Map.of("limit", 5)))
                .script("sub", "Subagent finished.",
                        Step.of("Bash", Map.of("command", "sleep 0.3; echo sub-slow", "description", "Slow step")));
        closeables.add(api);

        Path home = Files.createDirectories(tmp.resolve("home"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        // a real repository on a branch of its own: mos hook names it (Claude Code does not)
        assertThat(new ProcessBuilder("git", "init", "-q", "-b", "feature/checkout", work.toString()).inheritIO()
                .start().waitFor()).isZero();
        Path settings = home.resolve(".claude/settings.json");
        Files.createDirectories(settings.getParent());
        String userHooks = """
                {"theme": "dark", "hooks": {"PreToolUse": [{"matcher": "Bash",
                  "hooks": [{"type": "command", "command": "true"}]}]}}
                """;
        Files.writeString(settings, userHooks);

        // setup --write twice: merged once, the user's own hook and settings kept, a backup made, then no change
        Proc.Result first = runner.writeHooks(mos, settings, work);
        assertThat(first.exitCode()).as(first.toString()).isZero();
        String written = Files.readString(settings);
        Proc.Result second = runner.writeHooks(mos, settings, work);
        assertThat(second.exitCode()).isZero();
        assertThat(Files.readString(settings)).isEqualTo(written);
        JsonNode merged = Http.JSON.readTree(written);
        assertThat(merged.path("theme").asString()).isEqualTo("dark");
        JsonNode preToolUse = merged.path("hooks").path("PreToolUse");
        assertThat(preToolUse).hasSize(2);
        assertThat(preToolUse.get(0).path("hooks").get(0).path("command").asString()).isEqualTo("true");
        assertThat(preToolUse.get(1).path("hooks").get(0).path("url").asString()).isEqualTo(mos.baseUrl() + "/hooks");
        assertThat(merged.path("hooks").path("SessionStart").get(0).path("hooks").get(0).path("command").asString())
                .contains(" hook --url " + mos.baseUrl());
        try (var files = Files.list(settings.getParent())) {
            List<Path> backups = files.filter(f -> f.getFileName().toString().startsWith("settings.json.bak-"))
                    .toList();
            assertThat(backups).hasSize(1);
            assertThat(Files.readString(backups.getFirst())).isEqualTo(userHooks);
        }

        Proc.Result add = runner.claude(home, work, api, Map.of(), "mcp", "add", "--transport", "http", "mos", mos.baseUrl() + "/mcp");
        assertThat(add.exitCode()).as(add.toString()).isZero();

        Proc.Result run = runner.claude(home, work, api, Map.of(), "-p", "[[sc:main]] please work", "--permission-mode",
                "bypassPermissions");
        assertThat(run.exitCode()).as("claude -p: %s\nstand-in: %s\nmos: %s", run, api.requestLog,
                mos.stderrText()).isZero();

        JsonNode tree = awaitTree(mos, t -> findTask(t) != null && "success".equals(findTask(t).path("status")
                .asString()) && ended(t) && started(t));
        JsonNode task = findTask(tree);
        assertThat(task.path("name").asString()).isEqualTo("[[sc:main]] please work");
        List<JsonNode> ops = list(task.path("children"));
        assertThat(ops).extracting(n -> n.path("kind").asString() + ":" + n.path("name").asString() + ":"
                + n.path("status").asString())
                .containsExactly("tool:Bash:success", "tool:Bash:error", "subagent:Agent:success",
                        "mcp:mcp__mos__list_sessions:success");
        assertThat(ops.get(0).path("attributes").path("description").asString()).isEqualTo("Say hello");
        assertThat(ops.get(1).path("attributes").path("error").asString()).contains("Exit code 3");
        JsonNode agent = ops.get(2);
        List<JsonNode> inAgent = list(agent.path("children"));
        assertThat(inAgent).hasSize(1);
        assertThat(inAgent.getFirst().path("name").asString()).isEqualTo("Bash");
        assertThat(inAgent.getFirst().path("status").asString()).isEqualTo("success");
        // Claude Code's own duration_ms for "sleep 0.3", carried by PostToolUse
        assertThat(inAgent.getFirst().path("duration_ms").asLong()).isBetween(300L, 30_000L);
        assertThat(agent.path("duration_ms").asLong()).isGreaterThanOrEqualTo(
                inAgent.getFirst().path("duration_ms").asLong());
        JsonNode mcp = ops.get(3);
        assertThat(mcp.path("attributes").path("mcp_server").asString()).isEqualTo("mos");
        assertThat(mcp.path("attributes").path("mcp_tool").asString()).isEqualTo("list_sessions");
        // SessionStart arrives only through the command hook, i.e. `mos hook`; start and end are the session's
        // lifecycle, in its header, not operations beside the prompt
        assertThat(tree.path("lifecycle").path("source").asString()).as("SessionStart via mos hook: %s", tree)
                .isEqualTo("startup");
        assertThat(tree.path("lifecycle").path("permission_mode").asString()).isEqualTo("bypassPermissions");
        assertThat(tree.path("lifecycle").path("git_branch").asString()).as("read by mos hook from the cwd")
                .isEqualTo("feature/checkout");
        assertThat(hasRoot(tree, "SessionStart") || hasRoot(tree, "SessionEnd")).isFalse();
        assertThat(tree.path("running_count").asInt()).isZero();
    }

    /**
     * What a user gets from {@code mos setup claude-code --write --otlp} alone: the settings file found from HOME
     * (no --settings), and nothing exported in the shell (the runner drops every OTEL_ and CLAUDE variable), so
     * the OpenTelemetry export runs only on what setup wrote into the settings' env block. The tree must have the
     * hooks' details (the Bash command, the MCP call by server and tool) and the OTLP path's model calls.
     */
    @Test
    void setupWithOtlpUnderACustomHomeNeedsNoExports() throws Exception {
        MosProcess mos = MosProcess.serve(Map.of());
        closeables.add(mos);
        MessagesApiStandIn api = new MessagesApiStandIn()
                .script("full", "All done.",
                        Step.of("Bash", Map.of("command", "echo setup-proof-42", "description", "Echo a marker")),
                        Step.of("mcp__mos__list_sessions", Map.of("limit", 5)));
        closeables.add(api);
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path work = Files.createDirectories(tmp.resolve("work"));

        Proc.Result setup = runner.setup(Map.of("HOME", home.toString()), List.of(), work, "--write", "--otlp",
                "--url", mos.baseUrl());
        assertThat(setup.exitCode()).as(setup.toString()).isZero();
        JsonNode env = Http.JSON.readTree(Files.readString(home.resolve(".claude/settings.json"))).path("env");
        assertThat(env.path("OTEL_EXPORTER_OTLP_ENDPOINT").asString()).isEqualTo(mos.baseUrl());
        Proc.Result add = runner.claude(home, work, api, Map.of(), "mcp", "add", "--transport", "http", "mos",
                mos.baseUrl() + "/mcp");
        assertThat(add.exitCode()).as(add.toString()).isZero();

        Proc.Result run = runner.claude(home, work, api, Map.of(), "-p", "[[sc:full]] please work",
                "--permission-mode", "bypassPermissions");
        assertThat(run.exitCode()).as("claude -p: %s\nstand-in: %s", run, api.requestLog).isZero();

        JsonNode tree = awaitTree(mos, t -> findTask(t) != null
                && "success".equals(findTask(t).path("status").asString())
                && ofKind(findTask(t), "llm").size() == 3 && ofKind(findTask(t), "mcp").size() == 1
                // OTLP's tool_decision and tool_result have reached the MCP call too
                && ofKind(findTask(t), "mcp").getFirst().path("progress").size() >= 2);
        JsonNode task = findTask(tree);
        JsonNode bash = ofKind(task, "tool").stream().filter(n -> n.path("name").asString().equals("Bash"))
                .findFirst().orElseThrow();
        assertThat(bash.path("status").asString()).isEqualTo("success");
        assertThat(bash.path("attributes").path("tool_input").asString()).contains("echo setup-proof-42");
        JsonNode mcp = ofKind(task, "mcp").getFirst();
        assertThat(mcp.path("name").asString()).isEqualTo("mcp__mos__list_sessions");
        assertThat(mcp.path("status").asString()).isEqualTo("success");
        assertThat(mcp.path("attributes").path("mcp_server").asString()).isEqualTo("mos");
        assertThat(mcp.path("attributes").path("mcp_tool").asString()).isEqualTo("list_sessions");
        // the OTLP path: one model call per turn (two tool turns and the answer), with the stand-in's tokens
        assertThat(ofKind(task, "llm")).allSatisfy(n -> {
            assertThat(n.path("status").asString()).isEqualTo("success");
            assertThat(n.path("attributes").path("input_tokens").asLong()).isEqualTo(120L);
            assertThat(n.path("attributes").has("cost_usd")).isTrue();
        });
        // OTEL_LOG_TOOL_DETAILS from the settings took effect: OTLP names the MCP server and tool (its tool_name
        // is only "mcp_tool") and carries the Bash command
        Map<String, JsonNode> otelToolResults = new HashMap<>();
        for (JsonNode e : Http.get(mos.baseUrl() + "/api/v1/sessions/" + tree.path("session_id").asString()
                + "/events?limit=1000").json().path("events")) {
            JsonNode d = e.path("details");
            if ("otel".equals(d.path("source").asString()) && d.has("tool_use_id") && d.has("tool_input")) {
                otelToolResults.put(d.path("tool_use_id").asString(), d);
            }
        }
        JsonNode mcpResult = otelToolResults.get(mcp.path("id").asString());
        assertThat(mcpResult).as("OTLP tool_result of the MCP call: %s", otelToolResults).isNotNull();
        JsonNode parameters = Http.JSON.readTree(mcpResult.path("tool_parameters").asString());
        assertThat(parameters.path("mcp_server_name").asString()).isEqualTo("mos");
        assertThat(parameters.path("mcp_tool_name").asString()).isEqualTo("list_sessions");
        assertThat(otelToolResults.get(bash.path("id").asString()).path("tool_input").asString())
                .contains("echo setup-proof-42");
    }

    /**
     * A server that requires a token: setup writes only the variable's name (hook headers via allowedEnvVars, the
     * OTLP headers via otelHeadersHelper), and Claude Code with the token in its environment gets both paths in.
     */
    @Test
    void setupWithATokenVariableAuthenticatesHooksAndOtlpWithoutWritingTheToken() throws Exception {
        String token = "tok-" + System.nanoTime();
        MosProcess mos = MosProcess.serve(Map.of("MCP_AUTH_TOKEN", token));
        closeables.add(mos);
        MessagesApiStandIn api = new MessagesApiStandIn()
                .script("tok", "Done.", Step.of("Bash", Map.of("command", "echo with-token", "description", "Echo")));
        closeables.add(api);
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path work = Files.createDirectories(tmp.resolve("work"));

        Proc.Result setup = runner.setup(Map.of("HOME", home.toString()), List.of(), work, "--write", "--otlp",
                "--token-env", "MOS_TOKEN", "--url", mos.baseUrl());
        assertThat(setup.exitCode()).as(setup.toString()).isZero();
        assertThat(Files.readString(home.resolve(".claude/settings.json"))).doesNotContain(token)
                .contains("otelHeadersHelper");

        Proc.Result run = runner.claude(home, work, api, Map.of("MOS_TOKEN", token), "-p", "[[sc:tok]] go",
                "--permission-mode", "bypassPermissions");
        assertThat(run.exitCode()).as("claude -p: %s", run).isZero();

        JsonNode tree = awaitTree(mos, token, t -> findTask(t) != null && ofKind(findTask(t), "llm").size() == 2
                && ofKind(findTask(t), "tool").size() == 1);
        assertThat(ofKind(findTask(tree), "tool").getFirst().path("attributes").path("tool_input").asString())
                .contains("echo with-token");
        assertThat(mos.stderrText()).doesNotContainPattern("(?<![:=\\d])401(?!\\d)"); // not a port like :40173
    }

    private static List<JsonNode> ofKind(JsonNode task, String kind) {
        return list(task.path("children")).stream().filter(n -> n.path("kind").asString().equals(kind)).toList();
    }

    /** Claude Code's built-in OpenTelemetry pointed at MOS, exporting quickly so the test stays short. */
    private static Map<String, String> otel(MosProcess mos, String protocol) {
        return Map.of("CLAUDE_CODE_ENABLE_TELEMETRY", "1", "OTEL_LOGS_EXPORTER", "otlp",
                "OTEL_METRICS_EXPORTER", "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL", protocol,
                "OTEL_EXPORTER_OTLP_ENDPOINT", mos.baseUrl(), "OTEL_LOGS_EXPORT_INTERVAL", "300",
                "OTEL_METRIC_EXPORT_INTERVAL", "1000");
    }

    private MessagesApiStandIn simpleScript() throws Exception {
        MessagesApiStandIn api = new MessagesApiStandIn()
                .script("otel", "Done.",
                        Step.of("Bash", Map.of("command", "sleep 0.2; echo otel", "description", "Slow echo")),
                        Step.of("Bash", Map.of("command", "exit 4", "description", "Fail")));
        closeables.add(api);
        return api;
    }

    @Test
    void hooksAndOtlpProtobufTogetherGiveOneTreeWithModelCalls() throws Exception {
        MosProcess mos = MosProcess.serve(Map.of());
        closeables.add(mos);
        MessagesApiStandIn api = simpleScript();
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        Proc.Result setup = runner.writeHooks(mos, home.resolve(".claude/settings.json"), work);
        assertThat(setup.exitCode()).isZero();

        Proc.Result run = runner.claude(home, work, api, otel(mos, "http/protobuf"), "-p", "[[sc:otel]] go",
                "--permission-mode", "bypassPermissions");
        assertThat(run.exitCode()).as("claude -p: %s\nstand-in: %s", run, api.requestLog).isZero();

        JsonNode tree = awaitTree(mos, t -> findTask(t) != null
                && list(findTask(t).path("children")).stream().anyMatch(n -> n.path("kind").asString().equals("llm"))
                && list(findTask(t).path("children")).stream().filter(n -> n.path("kind").asString().equals("tool"))
                        .allMatch(n -> n.path("progress").size() > 0));
        JsonNode task = findTask(tree);
        List<JsonNode> tools = list(task.path("children")).stream()
                .filter(n -> n.path("kind").asString().equals("tool")).toList();
        assertThat(tools).extracting(n -> n.path("status").asString()).containsExactly("success", "error");
        assertThat(tools.getFirst().path("duration_ms").asLong()).isBetween(200L, 30_000L);
        List<JsonNode> llm = list(task.path("children")).stream()
                .filter(n -> n.path("kind").asString().equals("llm")).toList();
        // one model call per turn: two tool turns and the final answer
        assertThat(llm).hasSize(3).allSatisfy(n -> {
            assertThat(n.path("status").asString()).isEqualTo("success");
            assertThat(n.path("attributes").path("input_tokens").asLong()).isEqualTo(120L);
            assertThat(n.path("attributes").has("cost_usd")).isTrue();
        });

        // what a person reads on clicking them: the failing Bash's command and error, a model call's tokens and cost
        String session = tree.path("session_id").asString();
        JsonNode failed = operation(mos, session, tools.get(1).path("id").asString());
        assertThat(failed.path("title").asString()).isEqualTo("Bash · exit 4");
        assertThat(failed.path("details").path("input").path("command").asString()).isEqualTo("exit 4");
        assertThat(failed.path("details").path("error").asString()).contains("4");
        assertThat(failed.path("events").size()).isGreaterThanOrEqualTo(2);
        // and finds it first by a word of its command, across sessions, on the default store
        Http.Response found = Http.get(mos.baseUrl() + "/api/v1/search?q=exit&tool=Bash&status=error");
        assertThat(found.status()).as(found.body()).isEqualTo(200);
        assertThat(found.json().path("hits").get(0).path("operation_id").asString())
                .isEqualTo(tools.get(1).path("id").asString());
        assertThat(found.json().path("hits").get(0).path("session_id").asString()).isEqualTo(session);
        JsonNode model = operation(mos, session, llm.getFirst().path("id").asString()).path("details");
        assertThat(model.path("tokens").path("input").asLong()).isEqualTo(120L);
        assertThat(model.path("cost_usd").isNumber()).isTrue();
        assertThat(model.path("model").asString()).isNotBlank();
    }

    private static JsonNode operation(MosProcess mos, String session, String id) throws Exception {
        Http.Response r = Http.get(mos.baseUrl() + "/api/v1/sessions/" + session + "/operations/"
                + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().path("operation");
    }

    @Test
    void otlpJsonAloneGivesToolsAndModelCalls() throws Exception {
        MosProcess mos = MosProcess.serve(Map.of());
        closeables.add(mos);
        MessagesApiStandIn api = simpleScript();
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path work = Files.createDirectories(tmp.resolve("work"));

        Proc.Result run = runner.claude(home, work, api, otel(mos, "http/json"), "-p", "[[sc:otel]] go",
                "--permission-mode", "bypassPermissions");
        assertThat(run.exitCode()).as("claude -p: %s", run).isZero();

        JsonNode tree = awaitTree(mos, t -> findTask(t) != null && list(findTask(t).path("children")).stream()
                .filter(n -> n.path("kind").asString().equals("llm")).count() == 3);
        JsonNode task = findTask(tree);
        assertThat(list(task.path("children")).stream().filter(n -> n.path("kind").asString().equals("tool"))
                .map(n -> n.path("name").asString() + ":" + n.path("status").asString()).toList())
                .containsExactly("Bash:success", "Bash:error");
    }

    static JsonNode awaitTree(MosProcess mos, java.util.function.Predicate<JsonNode> ready) throws Exception {
        return awaitTree(mos, null, ready);
    }

    /** The latest session's tree once {@code ready}; asked with {@code token} when the server requires one. */
    static JsonNode awaitTree(MosProcess mos, String token, java.util.function.Predicate<JsonNode> ready)
            throws Exception {
        String[] auth = token == null ? new String[0] : new String[] {"Authorization", "Bearer " + token};
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        JsonNode tree = null;
        while (System.nanoTime() < deadline) {
            Http.Response r = Http.call(mos.baseUrl(), "get_activity_tree",
                    "{\"session_id\": \"latest\", \"format\": \"json\", \"max_depth\": 20}", auth);
            if (r.status() == 200) {
                tree = r.json();
                if (ready.test(tree)) {
                    return tree;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("tree never became complete: " + tree + "\nmos stderr:\n" + mos.stderrText());
    }

    static JsonNode findTask(JsonNode tree) {
        for (JsonNode root : tree.path("tree")) {
            if (root.path("id").asString().startsWith("prompt:")) {
                return root;
            }
        }
        return null;
    }

    /** The session's lifecycle says it started (its SessionStart arrived). */
    static boolean started(JsonNode tree) {
        return tree.path("lifecycle").hasNonNull("started_at");
    }

    /** The session's lifecycle says it ended (its SessionEnd arrived). */
    static boolean ended(JsonNode tree) {
        return tree.path("lifecycle").hasNonNull("ended_at");
    }

    static boolean hasRoot(JsonNode tree, String name) {
        return StreamSupport.stream(tree.path("tree").spliterator(), false)
                .anyMatch(n -> name.equals(n.path("name").asString()));
    }

    static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }
}
