package dev.mos.it;

import static dev.mos.it.ClaudeCodeHooksIT.list;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.it.ClaudeCode.Proc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * Issue 14's "done when", as a user gets there: ONE server ({@code mos serve}, its default store), ONE HOME, and one
 * {@code mos setup ... --write} per agent into it (Claude Code with {@code --otlp}, Codex, Gemini CLI), each found
 * from $HOME as the agent finds it. Then a real Claude Code, a real Codex CLI and a real Gemini CLI each run a session
 * against its scripted model stand-in: a command that succeeds, one that exits 3 and an MCP call to MOS itself. Over
 * REST the three sessions must stand side by side in the one list, each named by its agent and found by the agent
 * filter, each a tree with its tools (the failing one failed), the MCP call marked MCP of server mos, and model calls
 * with model, tokens and cost (estimated from the price list for Codex and Gemini CLI, which report none); the usage
 * analytics roll all three up by agent. The dashboard's list shows the three agent badges.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class AllAgentsIT {

    /** Long enough for telemetry exported at shutdown on a loaded 2-core machine; it is a wait, not an assertion. */
    private static final Duration SETTLE = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private ChromeDriver browser;

    @AfterEach
    void close() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    @Test
    void claudeCodeCodexAndGeminiCliSessionsStandSideBySideInOneServer() throws Exception {
        ClaudeRunner runner = new ClaudeRunner("AllAgentsIT", tmp);
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        MosProcess mos = MosProcess.serve(Map.of("HOME", home.toString()));
        closeables.add(mos);

        MessagesApiStandIn anthropic = new MessagesApiStandIn().script("claude", "All done.",
                MessagesApiStandIn.Step.of("Bash", Map.of("command", "echo hello-from-claude",
                        "description", "Say hello")),
                MessagesApiStandIn.Step.of("Bash", Map.of("command", "echo boom >&2; exit 3",
                        "description", "Fail on purpose")),
                MessagesApiStandIn.Step.of("mcp__mos__list_sessions", Map.of("limit", 5)));
        closeables.add(anthropic);
        ResponsesApiStandIn openai = new ResponsesApiStandIn().script("codex", "All done.",
                ResponsesApiStandIn.Step.of("exec_command", Map.of("cmd", "echo hello-from-codex")),
                ResponsesApiStandIn.Step.of("exec_command", Map.of("cmd", "echo boom >&2; exit 3")),
                ResponsesApiStandIn.Step.namespaced("mcp__mos", "list_sessions", Map.of("limit", 5)));
        closeables.add(openai);
        GeminiApiStandIn google = new GeminiApiStandIn().script("gemini", "All done.",
                GeminiApiStandIn.Step.of("run_shell_command", Map.of("command", "echo hello-from-gemini",
                        "description", "Say hello")),
                GeminiApiStandIn.Step.of("run_shell_command", Map.of("command", "exit 3",
                        "description", "Fail on purpose")),
                GeminiApiStandIn.Step.of("mcp_mos_list_sessions", Map.of()));
        closeables.add(google);

        // the user's own files before any setup: Codex's model provider (the stand-in), Gemini CLI's API-key login
        Path codexConfig = home.resolve(".codex/config.toml");
        Files.createDirectories(codexConfig.getParent());
        Files.writeString(codexConfig, CodexCliIT.providerConfig(openai));
        Path geminiSettings = home.resolve(".gemini/settings.json");
        Files.createDirectories(geminiSettings.getParent());
        Files.writeString(geminiSettings, """
                {
                  "security": {"auth": {"selectedType": "gemini-api-key"}, "folderTrust": {"enabled": false}},
                  "model": {"name": "gemini-2.5-flash"}
                }
                """);

        // one setup each, all into the same HOME, as a user runs them (no --settings/--config: found from $HOME)
        Path claudeSettings = home.resolve(".claude/settings.json");
        assertThat(runner.run(setup(home, "claude-code", "--url", mos.baseUrl(), "--write", "--otlp"), work)
                .exitCode()).as(runner.lastStderr()).isZero();
        assertThat(runner.lastStderr()).contains("wrote " + claudeSettings);
        // Claude Code keeps its MCP servers in ~/.claude.json, not in settings.json: setup prints the line to run
        assertThat(runner.lastStderr()).contains("claude mcp add --transport http mos " + mos.baseUrl() + "/mcp");
        assertThat(runner.run(setup(home, "codex", "--url", mos.baseUrl(), "--write"), work).exitCode())
                .as(runner.lastStderr()).isZero();
        assertThat(runner.lastStderr()).contains("wrote " + codexConfig);
        assertThat(runner.run(setup(home, "gemini", "--url", mos.baseUrl(), "--write"), work).exitCode())
                .as(runner.lastStderr()).isZero();
        assertThat(runner.lastStderr()).contains("wrote " + geminiSettings);
        // no setup clobbered another's file: each still has what it wrote, and the user's own lines
        assertThat(Http.JSON.readTree(Files.readString(claudeSettings)).path("env")
                .path("OTEL_EXPORTER_OTLP_ENDPOINT").asString()).isEqualTo(mos.baseUrl());
        assertThat(Files.readString(codexConfig)).contains("model_provider = \"standin\"")
                .contains("[mcp_servers.mos]\nurl = \"" + mos.baseUrl() + "/mcp\"");
        JsonNode gemini = Http.JSON.readTree(Files.readString(geminiSettings));
        assertThat(gemini.path("security").path("auth").path("selectedType").asString()).isEqualTo("gemini-api-key");
        assertThat(gemini.path("mcpServers").path("mos").toString()).contains(mos.baseUrl() + "/mcp");

        // Claude Code: hooks and OpenTelemetry from the settings setup wrote, the MCP server as setup said
        Proc.Result add = runner.claude(home, work, anthropic, Map.of(), "mcp", "add", "--transport", "http", "mos",
                mos.baseUrl() + "/mcp");
        assertThat(add.exitCode()).as(runner.lastStderr()).isZero();
        Proc.Result claude = runner.claude(home, work, anthropic, Map.of(), "-p", "[[sc:claude]] please work",
                "--permission-mode", "bypassPermissions");
        assertThat(claude.exitCode()).as("claude -p: %s\nstand-in: %s", claude, anthropic.requestLog).isZero();

        // Codex CLI: its config.toml in $HOME/.codex, where Codex looks when CODEX_HOME is not set
        ProcessBuilder codex = new ProcessBuilder(Codex.executable().toString(), "exec", "--skip-git-repo-check",
                "--dangerously-bypass-approvals-and-sandbox", "--color", "never", "[[sc:codex]] please work");
        Codex.isolate(codex.environment(), home, home.resolve(".codex"));
        codex.environment().remove("CODEX_HOME");
        codex.environment().put("STANDIN_API_KEY", "sk-test-not-a-real-key");
        Proc.Result codexRun = runner.run(codex, work);
        assertThat(codexRun.exitCode()).as("codex exec: %s\nstand-in: %s", codexRun, openai.requestLog).isZero();
        assertThat(runner.lastStdout()).contains("All done.");

        // Gemini CLI: its settings in $HOME/.gemini
        ProcessBuilder geminiCli = new ProcessBuilder(GeminiCli.executable().toString(), "-p",
                "[[sc:gemini]] please work", "--yolo", "-m", "gemini-2.5-flash");
        GeminiCli.isolate(geminiCli.environment(), home);
        geminiCli.environment().put("GEMINI_API_KEY", "not-a-real-key");
        geminiCli.environment().put("GOOGLE_GEMINI_BASE_URL", google.baseUrl());
        Proc.Result geminiRun = runner.run(geminiCli, work);
        assertThat(geminiRun.exitCode()).as("gemini -p: %s\nstand-in: %s", geminiRun, google.requestLog).isZero();
        assertThat(runner.lastStdout()).contains("All done.");

        // one list, three sessions, one per agent, and the agent filter finds each alone
        Map<String, String> sessions = new LinkedHashMap<>();
        for (String agent : List.of("claude-code", "codex", "gemini-cli")) {
            JsonNode found = await(mos, "/api/v1/sessions?agent=" + agent, r -> r.path("total").asInt() >= 1);
            assertThat(found.path("total").asInt()).as("sessions of %s: %s", agent, found).isEqualTo(1);
            JsonNode session = found.path("sessions").get(0);
            assertThat(session.path("agent").asString()).isEqualTo(agent);
            sessions.put(agent, session.path("session_id").asString(session.path("id").asString()));
        }
        assertThat(sessions.values()).doesNotHaveDuplicates().doesNotContain("");

        JsonNode claudeTask = task(awaitTree(mos, sessions.get("claude-code"), t -> complete(t, 4)));
        assertTask(claudeTask, "[[sc:claude]] please work", List.of("tool:Bash:success", "tool:Bash:error",
                "mcp:mcp__mos__list_sessions:success"), 4);
        assertModelCalls(claudeTask, m -> m.startsWith("claude-"), false);

        JsonNode codexTask = task(awaitTree(mos, sessions.get("codex"), t -> complete(t, 4)));
        // Codex leaves the prompt out of its telemetry unless the user logs it (setup leaves that choice alone)
        assertTask(codexTask, null, List.of("tool:exec_command:success", "tool:exec_command:error",
                "mcp:mcp__mos__list_sessions:success"), 4);
        assertThat(codexTask.path("attributes").path("agent").asString()).isEqualTo("codex");
        assertModelCalls(codexTask, CodexCliIT.MODEL::equals, true);

        JsonNode geminiTask = task(awaitTree(mos, sessions.get("gemini-cli"), t -> complete(t, 4)));
        assertTask(geminiTask, "[[sc:gemini]] please work", List.of("tool:run_shell_command:success",
                "tool:run_shell_command:error", "mcp:mcp_mos_list_sessions:success"), 4);
        assertModelCalls(geminiTask, "gemini-2.5-flash"::equals, true);

        // the one list holds exactly these three, side by side
        JsonNode all = Http.get(mos.baseUrl() + "/api/v1/sessions").json();
        assertThat(all.path("total").asInt()).as("%s", all).isEqualTo(3);
        assertThat(list(all.path("sessions")).stream().map(s -> s.path("agent").asString()).toList())
                .containsExactlyInAnyOrder("claude-code", "codex", "gemini-cli");

        // Claude Code's hooks and Codex's spans name the working directory: both are of the project they ran in
        // (Gemini CLI's telemetry names none)
        JsonNode inProject = Http.get(mos.baseUrl() + "/api/v1/sessions?project="
                + java.net.URLEncoder.encode(work.toString(), java.nio.charset.StandardCharsets.UTF_8)).json();
        assertThat(list(inProject.path("sessions")).stream().map(s -> s.path("agent").asString()).toList())
                .as("%s", inProject).contains("claude-code", "codex");

        // the usage analytics: by agent, each with its session, model calls, tokens and cost
        JsonNode usage = Http.get(mos.baseUrl() + "/api/v1/analytics/usage").json();
        assertThat(usage.path("sessions").asInt()).as("%s", usage).isEqualTo(3);
        assertThat(usage.path("by_agent").propertyNames()).containsExactlyInAnyOrder("claude-code", "codex",
                "gemini-cli");
        for (String agent : sessions.keySet()) {
            JsonNode a = usage.path("by_agent").path(agent);
            assertThat(a.path("sessions").asInt()).as("%s: %s", agent, a).isEqualTo(1);
            assertThat(a.path("llm_calls").asInt()).as("%s: %s", agent, a).isEqualTo(4);
            assertThat(a.path("input_tokens").asLong()).as("%s: %s", agent, a).isPositive();
            assertThat(a.path("output_tokens").asLong()).as("%s: %s", agent, a).isPositive();
            assertThat(a.path("cost_usd").asDouble()).as("%s: %s", agent, a).isPositive();
            assertThat(a.path("cost_estimated").asBoolean()).as("%s: %s", agent, a)
                    .isEqualTo(!agent.equals("claude-code"));
            assertThat(a.path("by_model").propertyNames()).as("%s: %s", agent, a).isNotEmpty();
            // and the filter narrows the roll-up to that agent alone
            JsonNode narrowed = Http.get(mos.baseUrl() + "/api/v1/analytics/usage?agent=" + agent).json();
            assertThat(narrowed.path("by_agent").propertyNames()).containsExactly(agent);
        }
        // the Codex tokens as the stand-in reported them: four calls, the cache counted apart from uncached input
        JsonNode codexUsage = usage.path("by_agent").path("codex");
        assertThat(codexUsage.path("input_tokens").asLong())
                .isEqualTo(4L * (ResponsesApiStandIn.INPUT_TOKENS - ResponsesApiStandIn.CACHED_TOKENS));
        assertThat(codexUsage.path("cache_read_tokens").asLong()).isEqualTo(4L * ResponsesApiStandIn.CACHED_TOKENS);
        JsonNode geminiUsage = usage.path("by_agent").path("gemini-cli");
        assertThat(geminiUsage.path("input_tokens").asLong())
                .isEqualTo(4L * (GeminiApiStandIn.INPUT_TOKENS - GeminiApiStandIn.CACHED_TOKENS));
        assertThat(geminiUsage.path("output_tokens").asLong()).isEqualTo(4L * GeminiApiStandIn.OUTPUT_TOKENS);

        dashboardShowsTheThreeAgents(mos);
    }

    /** The dashboard's session list: three rows, one badge per agent; a screenshot in target/screenshots. */
    private void dashboardShowsTheThreeAgents(MosProcess mos) throws Exception {
        browser = Chromium.start();
        browser.get(mos.baseUrl() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15), Duration.ofMillis(50));
        wait.ignoring(StaleElementReferenceException.class);
        wait.until(d -> d.findElements(By.cssSelector("#sessions .session .agent")).size() >= 3);
        @SuppressWarnings("unchecked")
        List<String> badges = (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll('#sessions .session .agent')].map(e => e.innerText);");
        assertThat(badges).containsExactlyInAnyOrder("claude-code", "codex", "gemini-cli");
        Path dir = Files.createDirectories(Path.of("target", "screenshots"));
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), dir.resolve("all-agents-session-list.png"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * {@code mos setup AGENT ARGS} as a user runs it: HOME is the user's, and nothing else says where the agents'
     * files are (CLAUDE_CONFIG_DIR, CODEX_HOME, GEMINI_CLI_HOME dropped) or where the server is.
     */
    private static ProcessBuilder setup(Path home, String agent, String... args) {
        List<String> cmd = new ArrayList<>(List.of("setup", agent));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(MosProcess.command(cmd.toArray(String[]::new)));
        pb.environment().keySet().removeIf(k -> k.startsWith("CLAUDE") || k.startsWith("CODEX")
                || k.startsWith("GEMINI") || k.startsWith("MOS_") || k.startsWith("MCP_") || k.startsWith("OTEL_"));
        pb.environment().put("HOME", home.toString());
        return pb;
    }

    /**
     * The task has {@code ops} (kind:name:status, model calls aside) in order and {@code llmCalls} model calls; the
     * MCP call names server mos and tool list_sessions; the failing command carries an error.
     */
    private static void assertTask(JsonNode task, String name, List<String> ops, int llmCalls) {
        assertThat(task.path("status").asString()).as("%s", task).isEqualTo("success");
        if (name != null) {
            assertThat(task.path("name").asString()).isEqualTo(name);
        }
        List<JsonNode> steps = list(task.path("children")).stream()
                .filter(n -> !n.path("kind").asString().equals("llm")).toList();
        assertThat(steps).extracting(n -> n.path("kind").asString() + ":" + n.path("name").asString() + ":"
                + n.path("status").asString()).as("task children: %s", task).containsExactlyElementsOf(ops);
        assertThat(steps.get(1).path("attributes").path("error").asString()).as("%s", steps.get(1)).isNotBlank();
        JsonNode mcp = steps.get(2).path("attributes");
        assertThat(mcp.path("mcp_server").asString()).as("%s", steps.get(2)).isEqualTo("mos");
        assertThat(mcp.path("mcp_tool").asString()).as("%s", steps.get(2)).isEqualTo("list_sessions");
        assertThat(llm(task)).hasSize(llmCalls);
    }

    /** Every model call: its model, tokens and a cost, estimated from the price list when the agent sent none. */
    private static void assertModelCalls(JsonNode task, Predicate<String> model, boolean estimated) {
        assertThat(llm(task)).allSatisfy(n -> {
            assertThat(n.path("status").asString()).isEqualTo("success");
            assertThat(n.path("name").asString()).as("model of %s", n).matches(model);
            JsonNode a = n.path("attributes");
            assertThat(a.path("input_tokens").asLong()).as("%s", n).isPositive();
            assertThat(a.path("output_tokens").asLong()).as("%s", n).isPositive();
            assertThat(a.path("cost_usd").asDouble()).as("%s", n).isPositive();
            assertThat(a.path("cost_estimated").asBoolean(false)).as("%s", n).isEqualTo(estimated);
        });
    }

    private static List<JsonNode> llm(JsonNode task) {
        List<JsonNode> all = new ArrayList<>();
        collect(task, all);
        return all.stream().filter(n -> n.path("kind").asString().equals("llm")).toList();
    }

    private static void collect(JsonNode node, List<JsonNode> out) {
        node.path("children").forEach(c -> {
            out.add(c);
            collect(c, out);
        });
    }

    /** The prompt's task ({@code prompt:<id>}): the tree's only one, of the session's agent. */
    private static JsonNode task(JsonNode tree) {
        // nothing else at the root: no other agent's operations mixed in, no stray task
        assertThat(list(tree.path("tree"))).as("one task in %s", tree).singleElement()
                .satisfies(n -> assertThat(n.path("id").asString()).startsWith("prompt:"));
        assertThat(tree.path("running_count").asInt()).as("%s", tree).isZero();
        for (JsonNode root : tree.path("tree")) {
            if (root.path("id").asString().startsWith("prompt:")) {
                return root;
            }
        }
        return null;
    }

    /** Task closed, {@code llmCalls} finished model calls, three finished operations besides. */
    private static boolean complete(JsonNode tree, int llmCalls) {
        JsonNode task = null;
        for (JsonNode root : tree.path("tree")) {
            if (root.path("id").asString().startsWith("prompt:")) {
                task = root;
            }
        }
        if (task == null || !"success".equals(task.path("status").asString())) {
            return false;
        }
        List<JsonNode> all = new ArrayList<>();
        collect(task, all);
        return all.stream().filter(n -> n.path("kind").asString().equals("llm")
                && !n.path("status").asString().equals("running")).count() >= llmCalls
                && all.stream().filter(n -> !n.path("kind").asString().equals("llm")
                && !n.path("status").asString().equals("running")).count() >= 3;
    }

    /** The session's tree ({@code GET /api/v1/sessions/{id}/tree}) once {@code ready}. */
    private static JsonNode awaitTree(MosProcess mos, String sessionId, Predicate<JsonNode> ready) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        JsonNode tree = null;
        while (System.nanoTime() < deadline) {
            Http.Response r = Http.get(mos.baseUrl() + "/api/v1/sessions/" + sessionId + "/tree?max_depth=20");
            if (r.status() == 200) {
                tree = r.json();
                if (ready.test(tree)) {
                    return tree;
                }
            }
            Thread.sleep(200);
        }
        // first what came in by OTLP (CI keeps only the start of a long message), then the tree and the log
        String otlpRequests = Http.get(mos.baseUrl() + "/metrics").body().lines()
                .filter(l -> l.startsWith("http_server_requests_seconds_count") && l.contains("/v1/"))
                .collect(java.util.stream.Collectors.joining("\n"));
        throw new AssertionError("tree of " + sessionId + " never became complete; OTLP requests served:\n"
                + otlpRequests + "\ntree: " + tree + "\nmos stderr:\n" + mos.stderrText());
    }

    /** GET {@code path} once {@code ready} holds for its JSON. */
    private static JsonNode await(MosProcess mos, String path, Predicate<JsonNode> ready) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            Http.Response r = Http.get(mos.baseUrl() + path);
            if (r.status() == 200) {
                last = r.json();
                if (ready.test(last)) {
                    return last;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError(path + " never became ready: " + last + "\nmos stderr:\n" + mos.stderrText());
    }
}
