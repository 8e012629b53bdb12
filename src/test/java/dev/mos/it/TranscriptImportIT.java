package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.it.ClaudeCode.Proc;
import dev.mos.it.MessagesApiStandIn.Step;
import dev.mos.it.MessagesApiStandIn.ToolCall;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Real Claude Code runs a scripted session (a Bash call, a failing Bash call, two parallel subagents of the same
 * type each running their own Bash call, an MCP call to MOS) with MOS's hooks on. Its transcript files (under the
 * test's HOME) are then imported with {@code mos import} into a second, empty MOS: the imported tree must match the
 * one the hooks captured, with models and tokens on the LLM calls, and a second import must add nothing.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TranscriptImportIT {


    @TempDir
    Path tmp;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    private ClaudeRunner runner;

    @BeforeEach
    void runner() {
        runner = new ClaudeRunner("TranscriptImportIT", tmp);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    @Test
    void importedTranscriptsGiveTheTreeTheHooksCaptured() throws Exception {
        MosProcess hooked = MosProcess.serve(Map.of());
        closeables.add(hooked);
        MessagesApiStandIn api = new MessagesApiStandIn()
                .script("main", "All done.",
                        Step.of("Bash", Map.of("command", "echo hello-from-bash", "description", "Say hello")),
                        Step.of("Bash", Map.of("command", "echo boom >&2; exit 3", "description", "Fail on purpose")),
                        new Step(List.of(
                                new ToolCall("Agent", Map.of("description", "First helper", "prompt",
                                        "[[sc:subA]] Look around.", "subagent_type", "general-purpose",
                                        "run_in_background", false)),
                                new ToolCall("Agent", Map.of("description", "Second helper", "prompt",
                                        "[[sc:subB]] Look elsewhere.", "subagent_type", "general-purpose",
                                        "run_in_background", false)))),
                        Step.of("mcp__mos__list_sessions", Map.of("limit", 5)))
                .script("subA", "A finished.",
                        Step.of("Bash", Map.of("command", "sleep 0.4; echo from-a", "description", "Step A")))
                .script("subB", "B finished.",
                        Step.of("Bash", Map.of("command", "echo from-b", "description", "Step B")));
        closeables.add(api);

        Path home = Files.createDirectories(tmp.resolve("home"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path settings = home.resolve(".claude/settings.json");
        Proc.Result setup = runner.writeHooks(hooked, settings, work);
        assertThat(setup.exitCode()).as(setup.toString()).isZero();
        Proc.Result add = runner.claude(home, work, api, Map.of(), "mcp", "add", "--transport", "http", "mos",
                hooked.baseUrl() + "/mcp");
        assertThat(add.exitCode()).as(add.toString()).isZero();
        Proc.Result session = runner.claude(home, work, api, Map.of(), "-p", "[[sc:main]] please work", "--permission-mode",
                "bypassPermissions");
        assertThat(session.exitCode()).as("claude -p: %s\nstand-in: %s", session, api.requestLog).isZero();

        JsonNode hookTree = ClaudeCodeHooksIT.awaitTree(hooked, t -> ClaudeCodeHooksIT.findTask(t) != null
                && "success".equals(ClaudeCodeHooksIT.findTask(t).path("status").asString())
                && ClaudeCodeHooksIT.ended(t));

        Path projects = home.resolve(".claude/projects");
        List<Path> transcripts;
        try (Stream<Path> files = Files.walk(projects)) {
            transcripts = files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList();
        }
        if (System.getenv("MOS_KEEP_TRANSCRIPTS") != null) {
            Path keep = Path.of(System.getenv("MOS_KEEP_TRANSCRIPTS"));
            for (Path t : transcripts) {
                Path target = keep.resolve(projects.relativize(t));
                Files.createDirectories(target.getParent());
                Files.copy(t, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Files.writeString(keep.resolve("hook-tree.json"), hookTree.toPrettyString());
        }
        assertThat(transcripts).as("main transcript plus one per subagent").hasSizeGreaterThanOrEqualTo(3);

        MosProcess imported = MosProcess.serve(Map.of());
        closeables.add(imported);
        Proc.Result first = runner.run(new ProcessBuilder(MosProcess.command("import", "--url", imported.baseUrl(),
                projects.toString())), work);
        assertThat(first.exitCode()).as(first.toString()).isZero();
        JsonNode importTree = ClaudeCodeHooksIT.awaitTree(imported, t -> ClaudeCodeHooksIT.findTask(t) != null);

        String expected = shape(ClaudeCodeHooksIT.findTask(hookTree));
        assertThat(expected).contains("subagent:Agent:success[tool:Bash:success[]]");
        assertThat(shape(ClaudeCodeHooksIT.findTask(importTree))).isEqualTo(expected);
        // models and token usage on every LLM call; the subagents' calls nest under their Agent call
        JsonNode task = ClaudeCodeHooksIT.findTask(importTree);
        List<JsonNode> llm = descendants(task).stream().filter(n -> n.path("kind").asString().equals("llm")).toList();
        assertThat(llm).hasSizeGreaterThanOrEqualTo(7).allSatisfy(n -> {
            assertThat(n.path("attributes").path("model").asString()).isNotBlank();
            assertThat(n.path("attributes").path("input_tokens").asLong()).isPositive();
            assertThat(n.path("attributes").path("output_tokens").asLong()).isPositive();
        });
        long eventsAfterFirst = eventCount(imported);

        Proc.Result again = runner.run(new ProcessBuilder(MosProcess.command("import", "--url", imported.baseUrl(),
                projects.toString())), work);
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(eventCount(imported)).isEqualTo(eventsAfterFirst);
        assertThat(runner.lastStdout()).contains("0 events added");

        // into the server whose hooks saw the run: only what hooks cannot see (the model calls) is added
        Proc.Result enrich = runner.run(new ProcessBuilder(MosProcess.command("import", "--url", hooked.baseUrl(),
                projects.toString())), work);
        assertThat(enrich.exitCode()).as(enrich.toString()).isZero();
        JsonNode enriched = ClaudeCodeHooksIT.awaitTree(hooked, t -> descendants(ClaudeCodeHooksIT.findTask(t))
                .stream().filter(n -> n.path("kind").asString().equals("llm")).count() == llm.size());
        assertThat(shape(ClaudeCodeHooksIT.findTask(enriched))).isEqualTo(expected);
    }

    /**
     * Kind, name, status and children of every node except LLM calls (hooks do not see model calls), children in
     * a fixed order (parallel calls reach the hooks in any order). A subagent's own operation (the hooks give one
     * while two Agent calls of the same type are in flight) is looked through: its children count as the call's.
     */
    static String shape(JsonNode node) {
        List<String> children = new ArrayList<>();
        for (JsonNode child : lookThrough(node)) {
            if (!child.path("kind").asString().equals("llm")) {
                children.add(shape(child));
            }
        }
        children.sort(null);
        return node.path("kind").asString() + ":" + node.path("name").asString() + ":"
                + node.path("status").asString() + children;
    }

    private static List<JsonNode> lookThrough(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode child : node.path("children")) {
            if (child.path("id").asString().startsWith("agent:")) {
                out.addAll(lookThrough(child));
            } else {
                out.add(child);
            }
        }
        return out;
    }

    static List<JsonNode> descendants(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode child : node.path("children")) {
            out.add(child);
            out.addAll(descendants(child));
        }
        return out;
    }

    private static long eventCount(MosProcess mos) throws Exception {
        Http.Response r = Http.call(mos.baseUrl(), "list_sessions", "{}");
        long total = 0;
        for (JsonNode s : r.json().path("sessions")) {
            total += s.path("event_count").asLong();
        }
        return total;
    }
}
