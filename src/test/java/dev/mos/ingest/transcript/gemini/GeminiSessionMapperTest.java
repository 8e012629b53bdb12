package dev.mos.ingest.transcript.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mos.MutableClock;
import dev.mos.health.IngestCounters;
import dev.mos.ingest.EventDecoder;
import dev.mos.ingest.IngestPipeline;
import dev.mos.ingest.IngestResult;
import dev.mos.ingest.privacy.CapturePolicy;
import dev.mos.ingest.transcript.EventIdentity;
import dev.mos.ingest.transcript.TranscriptException;
import dev.mos.ingest.transcript.TranscriptMapper;
import dev.mos.live.LiveFeed;
import dev.mos.model.ActivityTree;
import dev.mos.model.Event;
import dev.mos.model.OperationKind;
import dev.mos.model.OperationNode;
import dev.mos.model.OperationStatus;
import dev.mos.model.TreeBuilder;
import dev.mos.store.StoreLimits;
import dev.mos.store.memory.MemorySessionStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real session files of GeminiCliIT's Gemini CLI 0.61.0 run (a shell command, a refused read_file, a shell
 * command exiting 3, an MCP call to MOS, a codebase_investigator subagent), laid out as Gemini keeps them, through
 * the file search, the mapper and the one ingest pipeline.
 */
class GeminiSessionMapperTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String SESSION = "ca2e9575-54d0-40de-a439-68fd4e42dd74";
    static final String AGENT = "8b6cd03c-130c-4d5b-81fd-b9b5ac321be8";

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(1_796_641_170_000L);
    private final MemorySessionStore store = new MemorySessionStore(new StoreLimits(10_000, 64L << 20), clock);
    private final LiveFeed live = new LiveFeed();
    private final IngestPipeline pipeline = new IngestPipeline(new EventDecoder(JSON, clock), store, live,
            new IngestCounters(new SimpleMeterRegistry()));
    private final GeminiSessionMapper mapper = new GeminiSessionMapper(JSON, CapturePolicy.defaults());

    @AfterEach
    void close() {
        store.close();
        live.close();
    }

    /** {@code ~/.gemini} with the two chats where Gemini wrote them; returns {@code ~/.gemini}. */
    static Path geminiHome(Path tmp) throws Exception {
        Path chats = Files.createDirectories(tmp.resolve(".gemini/tmp/work/chats"));
        Files.writeString(tmp.resolve(".gemini/tmp/work/.project_root"), "/tmp/work");
        copy("gemini-cli-0.61.0-session.jsonl", chats.resolve("session-2026-12-07T10-59-ca2e9575.jsonl"));
        copy("gemini-cli-0.61.0-session-subagent.jsonl",
                Files.createDirectories(chats.resolve(SESSION)).resolve(AGENT + ".jsonl"));
        return tmp.resolve(".gemini");
    }

    private static void copy(String resource, Path to) throws Exception {
        try (InputStream in = GeminiSessionMapperTest.class.getResourceAsStream("/dev/mos/agents/" + resource)) {
            Files.copy(in, to);
        }
    }

    /** The session found from {@code path}, read and mapped. */
    static TranscriptMapper.Mapped mapped(Path path, GeminiSessionMapper mapper) {
        GeminiSessionFiles.Found found = GeminiSessionFiles.find(List.of(path), JSON);
        assertThat(found.problems()).isEmpty();
        assertThat(found.others()).isEmpty();
        assertThat(found.sessions()).singleElement().satisfies(s -> assertThat(s.subagents()).containsOnlyKeys(AGENT));
        GeminiSessionFiles.Session session = found.sessions().getFirst();
        Map<String, GeminiChat> subs = new LinkedHashMap<>();
        session.subagents().forEach((id, f) -> subs.put(id, GeminiChat.read(f, JSON)));
        return mapper.map(GeminiChat.read(session.main(), JSON), subs);
    }

    @Test
    void aRealSessionWithItsSubagentBecomesTheTreeTheLiveMappingGives() throws Exception {
        TranscriptMapper.Mapped mapped = mapped(geminiHome(tmp), mapper);
        assertThat(mapped.sessionId()).as("OTLP's session.id: the import lands in the live session").isEqualTo(SESSION);
        // each gemini message with tool calls is written twice (5 in the main chat, 2 in the subagent's): the later
        // line is kept
        assertThat(mapped.repeatedLines()).isEqualTo(7);
        List<IngestResult> results = pipeline.acceptBatch(mapped.events(), "import");
        assertThat(results).allSatisfy(r -> assertThat(r.error()).as("refused").isNull());

        ActivityTree tree = TreeBuilder.build(SESSION, store.events(SESSION), 0);
        assertThat(tree.roots()).as("one task: the <session_context> preamble is no prompt").hasSize(1);
        OperationNode task = tree.roots().getFirst();
        assertThat(task.kind()).isEqualTo(OperationKind.TASK);
        assertThat(task.name()).isEqualTo("[[sc:gemini]] go");
        assertThat(task.status()).isEqualTo(OperationStatus.SUCCESS);
        assertThat(details(task.end()).path("closed_by").asString()).isEqualTo("final_response");
        assertThat(task.durationMs()).as("from the prompt (.017) to the final answer (.419)").isEqualTo(402L);

        List<OperationNode> steps = task.children().stream().filter(n -> n.kind() != OperationKind.LLM).toList();
        assertThat(steps).extracting(n -> n.kind() + ":" + n.name() + ":" + n.status()).containsExactly(
                "TOOL:run_shell_command:SUCCESS", "TOOL:read_file:ERROR", "TOOL:run_shell_command:ERROR",
                "MCP:mcp_mos_list_sessions:SUCCESS", "SUBAGENT:codebase_investigator:SUCCESS");
        JsonNode echo = details(steps.get(0).end());
        assertThat(echo.path("command").asString()).isEqualTo("echo hello");
        assertThat(JSON.readTree(echo.path("arguments").asString()).path("command").asString()).isEqualTo("echo hello");
        assertThat(echo.path("output").asString()).contains("Output: hello");
        assertThat(steps.get(0).durationMs()).as("from the gemini message (.145) to the call's end (.170)")
                .isEqualTo(25L);
        assertThat(details(steps.get(1).end()).path("error").asString()).startsWith("Path not in workspace");
        // Gemini's status is success: only the output text says the command exited 3
        JsonNode exit = details(steps.get(2).end());
        assertThat(exit.path("error").asString()).isEqualTo("exit code 3");
        assertThat(exit.path("exit_code").asLong()).isEqualTo(3);
        JsonNode mcp = details(steps.get(3).end());
        assertThat(mcp.path("mcp_server").asString()).isEqualTo("mos");
        assertThat(mcp.path("mcp_tool").asString()).isEqualTo("list_sessions");

        OperationNode agent = steps.get(4);
        assertThat(agent.id()).as("the live mapping's id").isEqualTo("agent:" + AGENT);
        assertThat(details(agent.start()).path("prompt").asString()).isEqualTo("[[sc:geminisub]] Look around.");
        assertThat(details(agent.end()).path("summary").asString()).contains("nothing here");
        assertThat(agent.children()).filteredOn(n -> n.kind() == OperationKind.TOOL)
                .extracting(n -> n.name() + ":" + n.status())
                .containsExactly("list_directory:SUCCESS", "complete_task:SUCCESS");
        assertThat(agent.children()).filteredOn(n -> n.kind() == OperationKind.LLM).hasSize(2)
                .allSatisfy(n -> assertThat(n.name()).isEqualTo("gemini-2.5-pro"));

        List<OperationNode> llm = new java.util.ArrayList<>();
        collect(task, llm);
        llm.removeIf(n -> n.kind() != OperationKind.LLM);
        assertThat(llm).as("six calls of the main loop, two of the subagent").hasSize(8).allSatisfy(n -> {
            JsonNode d = details(n.end());
            assertThat(n.status()).isEqualTo(OperationStatus.SUCCESS);
            assertThat(d.path("input_tokens").asLong()).as("120 in, 30 of them cached").isEqualTo(90);
            assertThat(d.path("cache_read_tokens").asLong()).isEqualTo(30);
            assertThat(d.path("output_tokens").asLong()).isEqualTo(20);
            assertThat(d.path("total_tokens").asLong()).isEqualTo(140);
            assertThat(d.path("model").asString()).isEqualTo(n.name());
        });
        assertThat(llm).filteredOn(n -> n.name().equals("gemini-2.5-flash")).hasSize(6);
        assertThat(store.events(SESSION)).allSatisfy(e -> {
            assertThat(details(e).path("agent").asString()).isEqualTo("gemini-cli");
            assertThat(details(e).path("source").asString()).isEqualTo("gemini_session_file");
        });
    }

    @Test
    void mappingTheSameFilesAgainGivesTheSameIdentities() throws Exception {
        Path home = geminiHome(tmp);
        List<String> first = mapped(home, mapper).events().stream().map(EventIdentity::of).toList();
        List<String> again = mapped(home, mapper).events().stream().map(EventIdentity::of).toList();
        assertThat(again).isEqualTo(first).doesNotHaveDuplicates().doesNotContainNull();
    }

    @Test
    void aSubagentChatOrItsFolderGivenAloneBringsItsSessionAndOtherFilesAreLeftForTheOtherAgents() throws Exception {
        Path home = geminiHome(tmp);
        Path sub = home.resolve("tmp/work/chats/" + SESSION + "/" + AGENT + ".jsonl");
        Path claude = Files.writeString(tmp.resolve("3f2a.jsonl"), "{\"type\":\"user\",\"sessionId\":\"x\"}\n");
        // the subagent's chat, its session's own folder (which holds only subagent chats), a Claude Code transcript
        GeminiSessionFiles.Found found = GeminiSessionFiles.find(List.of(sub, sub.getParent(), claude), JSON);
        assertThat(found.problems()).isEmpty();
        assertThat(found.sessions()).singleElement().satisfies(s -> {
            assertThat(s.main().getFileName().toString()).isEqualTo("session-2026-12-07T10-59-ca2e9575.jsonl");
            assertThat(s.subagents()).containsOnlyKeys(AGENT);
        });
        assertThat(found.others()).containsExactly(claude);
    }

    @Test
    void aFileThatIsNoGeminiSessionIsRefusedNamingIt() throws Exception {
        Path chats = Files.createDirectories(tmp.resolve("chats"));
        Path bad = Files.writeString(chats.resolve("session-2026-12-07T10-59-deadbeef.jsonl"),
                "{\"type\":\"user\",\"message\":\"hi\"}\nnot json\n");
        GeminiSessionFiles.Found found = GeminiSessionFiles.find(List.of(chats), JSON);
        assertThat(found.sessions()).isEmpty();
        assertThat(found.problems()).singleElement().asString().startsWith(bad.toString())
                .contains("not a Gemini CLI session file");
        assertThatThrownBy(() -> GeminiChat.read(bad, JSON)).isInstanceOf(TranscriptException.class)
                .hasMessageStartingWith(bad.toString()).hasMessageContaining("not a Gemini CLI session file");
    }

    @Test
    void aRewindDropsTheMessagesFromThereOn() throws Exception {
        Path f = Files.writeString(tmp.resolve("session-x-abcdefgh.jsonl"), """
                {"sessionId":"s1","projectHash":"h","startTime":"2026-12-07T10:00:00.000Z","kind":"main"}
                {"id":"u1","timestamp":"2026-12-07T10:00:01.000Z","type":"user","content":[{"text":"first"}]}
                {"id":"g1","timestamp":"2026-12-07T10:00:02.000Z","type":"gemini","content":"one","model":"m"}
                {"id":"u2","timestamp":"2026-12-07T10:00:03.000Z","type":"user","content":[{"text":"second"}]}
                {"$rewindTo":"u2"}
                {"id":"u3","timestamp":"2026-12-07T10:00:04.000Z","type":"user","content":[{"text":"third"}]}
                """);
        GeminiChat chat = GeminiChat.read(f, JSON);
        assertThat(chat.messages()).extracting(m -> m.path("id").asString()).containsExactly("u1", "g1", "u3");
        TranscriptMapper.Mapped mapped = mapper.map(chat, Map.of());
        pipeline.acceptBatch(mapped.events(), "import");
        ActivityTree tree = TreeBuilder.build("s1", store.events("s1"), 0);
        assertThat(tree.roots()).extracting(n -> n.name() + ":" + n.status())
                .as("the last turn has no answer yet: still open").containsExactly("first:SUCCESS", "third:RUNNING");
    }

    private static void collect(OperationNode node, List<OperationNode> out) {
        out.add(node);
        node.children().forEach(c -> collect(c, out));
    }

    static JsonNode details(Event e) {
        assertThat(e).isNotNull();
        return JSON.readTree(e.detailsJson() == null ? "{}" : e.detailsJson());
    }
}
