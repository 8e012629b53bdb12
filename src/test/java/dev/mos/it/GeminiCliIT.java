package dev.mos.it;

import static dev.mos.it.ClaudeCodeHooksIT.awaitTree;
import static dev.mos.it.ClaudeCodeHooksIT.list;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.it.ClaudeCode.Proc;
import dev.mos.it.GeminiApiStandIn.Step;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Real Gemini CLI ({@link GeminiCli#VERSION}) connected to the packaged server by {@code mos setup gemini --write}
 * (found through {@code $HOME}, merged into the user's own settings), run with {@code gemini -p} against the scripted
 * Gemini API stand-in: a shell command, a refused read_file, a shell command exiting 3, an MCP call to MOS itself and
 * a codebase_investigator subagent. Its OpenTelemetry export must give one tree: the prompt's task closed, each tool
 * with its outcome, the MCP call marked as MCP of server mos, the subagent with its own tools and model calls nested,
 * every model call with its tokens. {@code mos setup gemini --remove} then gives the user's settings back. The same
 * run with {@code telemetry.logPrompts: false} (kept by setup) still gives the tree, closed when the CLI shuts down.
 * The session files the run wrote, imported with {@code mos import} as a user would, are matched onto the live
 * operations (nothing added), and into a fresh server give the same tree; importing them again adds nothing.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class GeminiCliIT {

    /** The user's own settings: an API key login, no folder-trust prompt, a model preference. */
    private static final String USERS = """
            {
              "security": {"auth": {"selectedType": "gemini-api-key"}, "folderTrust": {"enabled": false}},
              "model": {"name": "gemini-2.5-flash"}
            }
            """;

    @TempDir
    Path tmp;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    /** One run: the tree MOS built live, the server, and where Gemini kept its files. */
    private record Run(JsonNode tree, MosProcess mos, Path home, ClaudeRunner runner, Path work) {
    }

    @Test
    void aRealRunGivesOneTreeWithToolsMcpSubagentAndModelCalls() throws Exception {
        Run run = run(USERS);
        assertTree(run.tree(), true);
        assertThat(task(run.tree()).path("attributes").path("closed_by").asString()).isEqualTo("final_response");

        // the session files the run wrote, imported as a user would into the server that saw it live: matched
        // onto the live operations, nothing added
        importInto(run, run.mos(), run.home().resolve(".gemini/tmp"));
        assertThat(run.runner().lastStdout()).contains(": 0 events imported", "operation(s) matched",
                "1 subagent transcript");
        JsonNode again = awaitTree(run.mos(), GeminiCliIT::complete);
        assertTree(again, true);
        assertThat(nodes(again)).isEqualTo(nodes(run.tree()));

        // the same files into a server that never saw the run: the same tree, from the files alone
        MosProcess other = MosProcess.serve(Map.of());
        closeables.add(other);
        importInto(run, other, run.home().resolve(".gemini"));
        assertThat(run.runner().lastStdout()).contains("imported 1 session", "1 subagent transcript");
        JsonNode imported = awaitTree(other, GeminiCliIT::complete);
        assertThat(imported.path("session_id").asString()).isEqualTo(run.tree().path("session_id").asString());
        assertTree(imported, true);
        assertThat(task(imported).path("attributes").path("closed_by").asString()).isEqualTo("final_response");
        assertThat(task(imported).path("attributes").path("source").asString()).isEqualTo("gemini_session_file");
        assertUsage(other, imported.path("session_id").asString());
        // a second import adds nothing
        importInto(run, other, run.home().resolve(".gemini"));
        assertThat(run.runner().lastStdout()).contains(": 0 events imported", "imported 1 session: 0 events added");
        assertThat(nodes(awaitTree(other, GeminiCliIT::complete))).isEqualTo(nodes(imported));
    }

    @Test
    void withoutLoggedPromptsTheRunStillGivesItsTreeClosedAtTheEnd() throws Exception {
        // the user keeps prompts out of telemetry: setup says so and leaves it; the tree keeps its shape
        String users = USERS.replace("\"model\":", "\"telemetry\": {\"logPrompts\": false},\n  \"model\":");
        Run run = run(users);
        assertTree(run.tree(), false);
        assertThat(task(run.tree()).path("attributes").path("closed_by").asString()).isEqualTo("session_end");

        // the live side has no arguments and an anonymous task: the session files still match onto it
        importInto(run, run.mos(), run.home().resolve(".gemini/tmp"));
        assertThat(run.runner().lastStdout()).contains(": 0 events imported", "operation(s) matched");
        assertThat(nodes(awaitTree(run.mos(), GeminiCliIT::complete))).isEqualTo(nodes(run.tree()));
    }

    /** {@code mos import --url <server> <path>} as a user runs it; it must succeed. */
    private static void importInto(Run run, MosProcess server, Path path) throws Exception {
        Proc.Result imported = run.runner().run(new ProcessBuilder(MosProcess.command("import", "--url",
                server.baseUrl(), path.toString())), run.work());
        assertThat(imported.exitCode()).as("mos import: %s\n%s", run.runner().lastStdout(),
                run.runner().lastStderr()).isZero();
    }

    /** Every node of a tree as kind:name:status:id, in tree order. */
    private static List<String> nodes(JsonNode tree) {
        List<JsonNode> all = new ArrayList<>();
        list(tree.path("tree")).forEach(n -> collect(n, all));
        return all.stream().map(n -> n.path("kind").asString() + ":" + n.path("name").asString() + ":"
                + n.path("status").asString() + ":" + n.path("id").asString()).toList();
    }

    /**
     * {@code users} as the user's settings, {@code mos setup gemini --write} over them, one scripted
     * {@code gemini -p} run, then {@code --remove}; returns the tree MOS built.
     */
    private Run run(String users) throws Exception {
        ClaudeRunner runner = new ClaudeRunner("GeminiCliIT", tmp);
        MosProcess mos = MosProcess.serve(Map.of());
        closeables.add(mos);
        GeminiApiStandIn api = new GeminiApiStandIn()
                .script("gemini", "All done.",
                        Step.of("run_shell_command", Map.of("command", "echo hello", "description", "Say hello")),
                        Step.of("read_file", Map.of("file_path", "/nonexistent/missing.txt")),
                        Step.of("run_shell_command", Map.of("command", "exit 3", "description", "Fail on purpose")),
                        Step.of("mcp_mos_list_sessions", Map.of()),
                        Step.of("invoke_agent", Map.of("agent_name", "codebase_investigator",
                                "prompt", "[[sc:geminisub]] Look around.")))
                .script("geminisub", "unused: complete_task ends the subagent",
                        Step.of("list_directory", Map.of("dir_path", ".")),
                        Step.of("complete_task", Map.of("report", Map.of("SummaryOfFindings", "nothing here",
                                "ExplorationTrace", List.of("listed ."), "RelevantLocations", List.of()))));
        closeables.add(api);
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path settings = home.resolve(".gemini/settings.json");
        Files.createDirectories(settings.getParent());
        Files.writeString(settings, users);

        // as a user runs it: no --settings, the file found through $HOME
        ProcessBuilder setup = new ProcessBuilder(MosProcess.command("setup", "gemini", "--url", mos.baseUrl(),
                "--write"));
        setup.environment().remove("GEMINI_CLI_HOME");
        setup.environment().put("HOME", home.toString());
        assertThat(runner.run(setup, work).exitCode()).isZero();
        assertThat(runner.lastStderr()).contains("wrote " + settings);

        ProcessBuilder gemini = new ProcessBuilder(GeminiCli.executable().toString(), "-p", "[[sc:gemini]] go",
                "--yolo", "-m", "gemini-2.5-flash");
        GeminiCli.isolate(gemini.environment(), home);
        gemini.environment().put("GEMINI_API_KEY", "not-a-real-key");
        gemini.environment().put("GOOGLE_GEMINI_BASE_URL", api.baseUrl());
        Proc.Result run = runner.run(gemini, work);
        assertThat(run.exitCode()).as("gemini -p: %s\nstand-in: %s", run, api.requestLog).isZero();
        assertThat(runner.lastStdout()).contains("All done.");

        keepSessionFiles(home);
        JsonNode tree = awaitTree(mos, GeminiCliIT::complete);
        assertUsage(mos, tree.path("session_id").asString());

        ProcessBuilder remove = new ProcessBuilder(MosProcess.command("setup", "gemini", "--url", mos.baseUrl(),
                "--remove"));
        remove.environment().remove("GEMINI_CLI_HOME");
        remove.environment().put("HOME", home.toString());
        assertThat(runner.run(remove, work).exitCode()).isZero();
        assertThat(Http.JSON.readTree(Files.readString(settings))).isEqualTo(Http.JSON.readTree(users));
        return new Run(tree, mos, home, runner, work);
    }

    /**
     * Copies the session files the run wrote ({@code $HOME/.gemini/tmp/<project>/chats/}) to
     * {@code target/gemini-session-files/}, so that a real sample can be kept as test data for {@code mos import}.
     */
    private static void keepSessionFiles(Path home) throws java.io.IOException {
        Path tmpDir = home.resolve(".gemini/tmp");
        assertThat(tmpDir).as("Gemini CLI wrote no session files under %s", tmpDir).isDirectory();
        Path into = Path.of("target", "gemini-session-files", String.valueOf(System.nanoTime()));
        try (var walk = Files.walk(tmpDir)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                Path to = into.resolve(tmpDir.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to);
            }
        }
    }

    /** The session's usage adds up its eight model calls once (Gemini's token metric points are not added again). */
    private static void assertUsage(MosProcess mos, String sessionId) throws Exception {
        Http.Response r = Http.get(mos.baseUrl() + "/api/v1/sessions/" + sessionId);
        assertThat(r.status()).isEqualTo(200);
        JsonNode usage = r.json().path("usage");
        assertThat(usage.path("source").asString()).isEqualTo("llm_operations");
        assertThat(usage.path("input_tokens").asLong()).as("uncached")
                .isEqualTo(8L * (GeminiApiStandIn.INPUT_TOKENS - GeminiApiStandIn.CACHED_TOKENS));
        assertThat(usage.path("output_tokens").asLong()).isEqualTo(8L * GeminiApiStandIn.OUTPUT_TOKENS);
        assertThat(usage.path("cache_read_tokens").asLong()).isEqualTo(8L * GeminiApiStandIn.CACHED_TOKENS);
        // Gemini CLI reports no cost: estimated from the shipped prices per million tokens (input, output, cache
        // read): gemini-2.5-flash 0.30, 2.50, 0.075 for six calls; gemini-2.5-pro 1.25, 10, 0.31 for two
        double flash = (90 * 0.30 + 20 * 2.50 + 30 * 0.075) / 1e6;
        double pro = (90 * 1.25 + 20 * 10 + 30 * 0.31) / 1e6;
        assertThat(usage.path("cost_usd").asDouble()).isCloseTo(6 * flash + 2 * pro,
                org.assertj.core.data.Offset.offset(1e-6));
        assertThat(usage.path("cost_estimated").asBoolean()).isTrue();
        assertThat(usage.path("by_model").toString()).contains("gemini-2.5-flash", "gemini-2.5-pro");
    }

    private static JsonNode task(JsonNode tree) {
        for (JsonNode root : tree.path("tree")) {
            if (root.path("id").asString().startsWith("prompt:")) {
                return root;
            }
        }
        return null;
    }

    /** The task closed, with its five steps and the subagent's two tools and two model calls. */
    private static boolean complete(JsonNode tree) {
        JsonNode task = task(tree);
        if (task == null || !"success".equals(task.path("status").asString())) {
            return false;
        }
        List<JsonNode> nodes = new ArrayList<>();
        collect(task, nodes);
        return nodes.stream().filter(n -> n.path("kind").asString().equals("llm")).count() >= 8
                && nodes.stream().filter(n -> !n.path("kind").asString().equals("llm")).count() >= 8;
    }

    private static void collect(JsonNode node, List<JsonNode> out) {
        out.add(node);
        node.path("children").forEach(c -> collect(c, out));
    }

    /** {@code prompts}: whether Gemini logged prompts, arguments and result metadata (telemetry.logPrompts). */
    private static void assertTree(JsonNode tree, boolean prompts) {
        List<JsonNode> tasks = list(tree.path("tree")).stream()
                .filter(n -> n.path("id").asString().startsWith("prompt:")).toList();
        assertThat(tasks).as("one task: %s", tree).hasSize(1);
        JsonNode task = tasks.getFirst();
        assertThat(task.path("name").asString()).isEqualTo(prompts ? "[[sc:gemini]] go" : "Prompt");
        assertThat(task.path("status").asString()).isEqualTo("success");

        List<JsonNode> steps = list(task.path("children")).stream()
                .filter(n -> !n.path("kind").asString().equals("llm")).toList();
        assertThat(steps).extracting(n -> n.path("kind").asString() + ":" + n.path("name").asString() + ":"
                + n.path("status").asString()).as("task children: %s", task)
                .containsExactly("tool:run_shell_command:success", "tool:read_file:error",
                        // without logged result metadata nothing says the command exited 3
                        "tool:run_shell_command:" + (prompts ? "error" : "success"),
                        "mcp:mcp_mos_list_sessions:success", "subagent:codebase_investigator:success");
        assertThat(steps.get(1).path("attributes").path("error").asString()).startsWith("Path not in workspace");
        if (prompts) {
            assertThat(steps.get(0).path("attributes").path("arguments").asString()).contains("echo hello");
            assertThat(steps.get(2).path("attributes").path("error").asString()).isEqualTo("exit code 3");
        }
        JsonNode mcp = steps.get(3).path("attributes");
        assertThat(mcp.path("mcp_server").asString()).isEqualTo("mos");
        assertThat(mcp.path("mcp_tool").asString()).isEqualTo("list_sessions");

        JsonNode agent = steps.get(4);
        List<JsonNode> inAgent = list(agent.path("children"));
        assertThat(inAgent.stream().filter(n -> n.path("kind").asString().equals("tool"))
                .map(n -> n.path("name").asString() + ":" + n.path("status").asString()).toList())
                .containsExactly("list_directory:success", "complete_task:success");
        assertThat(inAgent.stream().filter(n -> n.path("kind").asString().equals("llm")).toList()).hasSize(2)
                .allSatisfy(n -> assertThat(n.path("name").asString()).isEqualTo("gemini-2.5-pro"));

        List<JsonNode> llm = new ArrayList<>();
        collect(task, llm);
        llm.removeIf(n -> !n.path("kind").asString().equals("llm"));
        assertThat(llm).hasSize(8).allSatisfy(n -> {
            assertThat(n.path("status").asString()).isEqualTo("success");
            JsonNode a = n.path("attributes");
            assertThat(a.path("input_tokens").asLong())
                    .isEqualTo(GeminiApiStandIn.INPUT_TOKENS - GeminiApiStandIn.CACHED_TOKENS);
            assertThat(a.path("output_tokens").asLong()).isEqualTo(GeminiApiStandIn.OUTPUT_TOKENS);
            assertThat(a.path("cache_read_tokens").asLong()).isEqualTo(GeminiApiStandIn.CACHED_TOKENS);
            assertThat(a.path("agent").asString()).isEqualTo("gemini-cli");
        });

        List<JsonNode> all = new ArrayList<>();
        list(tree.path("tree")).forEach(n -> collect(n, all));
        Set<String> ids = new HashSet<>();
        for (JsonNode n : all) {
            assertThat(ids.add(n.path("id").asString())).as("duplicate node %s", n.path("id")).isTrue();
        }
        assertThat(tree.path("running_count").asInt()).isZero();
    }
}
