package dev.mos.ingest.transcript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mos.MutableClock;
import dev.mos.health.IngestCounters;
import dev.mos.ingest.EventDecoder;
import dev.mos.ingest.IngestPipeline;
import dev.mos.ingest.IngestResult;
import dev.mos.ingest.privacy.CapturePolicy;
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
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Replays real transcripts of Claude Code 2.1.332 ({@code -p} with a Bash call, a failing Bash call, two parallel
 * Agent calls each running a Bash call, an MCP call; written under the test HOME of {@code TranscriptImportIT},
 * with the large request-body lines {@code api-request-blob}/{@code api-request-shape} left out) through the mapper
 * and the one ingest pipeline.
 */
class TranscriptMapperTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SESSION = "8305e9f6-4956-4384-b5a0-e9e9f8584469";

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(1_764_000_000_000L);
    private final MemorySessionStore store = new MemorySessionStore(new StoreLimits(10_000, 64L << 20), clock);
    private final LiveFeed live = new LiveFeed();
    private final IngestPipeline pipeline = new IngestPipeline(new EventDecoder(JSON, clock), store, live,
            new IngestCounters(new SimpleMeterRegistry()));
    private final TranscriptReader reader = new TranscriptReader(JSON);
    private final TranscriptMapper mapper = new TranscriptMapper(JSON, CapturePolicy.defaults());

    @AfterEach
    void close() {
        store.close();
        live.close();
    }

    static Path projects() throws URISyntaxException {
        return Path.of(TranscriptMapperTest.class.getResource("/transcripts/claude-code-2.1.332").toURI());
    }

    private TranscriptMapper.Mapped mapAll(Path path) {
        TranscriptFiles.Found found = TranscriptFiles.find(List.of(path));
        assertThat(found.problems()).isEmpty();
        assertThat(found.sessions()).hasSize(1);
        TranscriptSession session = found.sessions().getFirst();
        Map<String, TranscriptReader.Transcript> subs = new LinkedHashMap<>();
        session.subagents().forEach((id, file) -> subs.put(id, reader.read(file)));
        return mapper.map(reader.read(session.main()), subs);
    }

    private void store(List<Map<String, Object>> events) {
        List<IngestResult> results = pipeline.acceptBatch(events, "import");
        assertThat(results).allSatisfy(r -> assertThat(r.error()).as("refused").isNull());
    }

    @Test
    void aRealTranscriptBecomesTheFullTree() throws Exception {
        TranscriptMapper.Mapped mapped = mapAll(projects());
        assertThat(mapped.sessionId()).isEqualTo(SESSION);
        // the response with two parallel Agent calls was written as two lines
        assertThat(mapped.repeatedLines()).isEqualTo(1);
        store(mapped.events());

        ActivityTree tree = TreeBuilder.build(SESSION, store.events(SESSION), 0);
        assertThat(tree.roots()).hasSize(1);
        OperationNode task = tree.roots().getFirst();
        assertThat(task.kind()).isEqualTo(OperationKind.TASK);
        assertThat(task.id()).isEqualTo("prompt:f9c7c5b5-91d3-4601-a17e-c7f9a281e32d");
        assertThat(task.name()).isEqualTo("[[sc:main]] please work");
        assertThat(task.status()).isEqualTo(OperationStatus.SUCCESS);
        assertThat(attrs(task)).containsEntry("cwd", "/home/dev/project");

        List<OperationNode> work = task.children().stream().filter(n -> n.kind() != OperationKind.LLM).toList();
        assertThat(work).extracting(n -> n.kind() + ":" + n.id() + ":" + n.name() + ":" + n.status())
                .containsExactly("TOOL:toolu_sc_2:Bash:SUCCESS", "TOOL:toolu_sc_4:Bash:ERROR",
                        "SUBAGENT:toolu_sc_6:Agent:SUCCESS", "SUBAGENT:toolu_sc_7:Agent:SUCCESS",
                        "MCP:toolu_sc_15:mcp__mos__list_sessions:SUCCESS");
        assertThat(work.get(0).primary().description()).isEqualTo("Say hello");
        assertThat(attrs(work.get(1)).get("error").toString()).contains("Exit code 3");
        assertThat(attrs(work.get(4))).containsEntry("mcp_server", "mos").containsEntry("mcp_tool",
                "list_sessions");
        // each subagent's transcript nests under the Agent call whose result names it: subA ran "from-a"
        assertThat(nonLlm(work.get(2))).extracting(OperationNode::id).containsExactly("toolu_sc_11");
        assertThat(nonLlm(work.get(3))).extracting(OperationNode::id).containsExactly("toolu_sc_9");
        assertThat(attrs(nonLlm(work.get(2)).getFirst()).get("tool_input").toString()).contains("from-a");
        assertThat(attrs(work.get(2))).containsEntry("agent_id", "aef69ed2c7aa2fe07");
        // Bash "sleep 0.4" timed from its tool_use line to its tool_result line
        assertThat(nonLlm(work.get(2)).getFirst().durationMs()).isBetween(400L, 5_000L);

        // one LLM operation per response: five in the main thread, two in each subagent
        List<OperationNode> llm = new ArrayList<>();
        collect(task, OperationKind.LLM, llm);
        assertThat(llm).hasSize(9).allSatisfy(n -> {
            assertThat(n.name()).isEqualTo("claude-opus-5-5");
            assertThat(n.status()).isEqualTo(OperationStatus.SUCCESS);
            assertThat(attrs(n)).containsEntry("model", "claude-opus-5-5").containsEntry("input_tokens", 120)
                    .containsKeys("output_tokens", "cache_read_tokens", "cache_creation_tokens", "request_id");
            assertThat(n.id()).startsWith("llm:req_sc_");
        });
        assertThat(llm.stream().filter(n -> task.children().contains(n))).hasSize(5);
        assertThat(work.get(2).children()).extracting(OperationNode::kind).containsExactly(OperationKind.LLM,
                OperationKind.TOOL, OperationKind.LLM);
        // times are the transcript's
        assertThat(task.startMs()).isEqualTo(Instant.parse("2026-11-25T18:00:38.444Z").toEpochMilli());
        assertThat(tree.runningCount()).isZero();
    }

    @Test
    void aSecondImportAddsNothing() throws Exception {
        TranscriptMapper.Mapped first = mapAll(projects());
        store(first.events());
        Set<String> stored = new HashSet<>();
        for (Event e : store.events(SESSION)) {
            String id = EventIdentity.of(e.type().wireName(), e.correlationId());
            if (id != null) {
                stored.add(id);
            }
        }
        assertThat(EventIdentity.newOnes(mapAll(projects()).events(), stored)).isEmpty();
        // and the mapping itself is deterministic
        assertThat(JSON.writeValueAsString(mapAll(projects()).events()))
                .isEqualTo(JSON.writeValueAsString(first.events()));
    }

    @Test
    void anEndAlreadyStoredByHooksIsNotAddedAgainEvenAsAFailure() {
        Map<String, Object> hookEnd = new LinkedHashMap<>(Map.of("event_type", "tool_post_call", "correlation_id",
                "t1"));
        Map<String, Object> importFail = new LinkedHashMap<>(Map.of("event_type", "tool_error", "correlation_id",
                "t1"));
        Map<String, Object> importStart = new LinkedHashMap<>(Map.of("event_type", "tool_pre_call",
                "correlation_id", "t1"));
        assertThat(EventIdentity.newOnes(List.of(importStart, importFail), Set.of(EventIdentity.of(hookEnd))))
                .containsExactly(importStart);
    }

    @Test
    void filesAreFoundFromAFileAProjectFolderOrTheProjectsFolder() throws Exception {
        Path project = projects().resolve("-home-dev-project");
        Path main = project.resolve(SESSION + ".jsonl");
        Path sub = project.resolve(SESSION + "/subagents/agent-aef69ed2c7aa2fe07.jsonl");
        for (Path p : List.of(projects(), project, main, sub)) {
            TranscriptFiles.Found found = TranscriptFiles.find(List.of(p, p));
            assertThat(found.problems()).as(p.toString()).isEmpty();
            assertThat(found.sessions()).as(p.toString()).hasSize(1);
            assertThat(found.sessions().getFirst().main()).isEqualTo(main);
            assertThat(found.sessions().getFirst().subagents()).containsOnlyKeys("a457c6db39e758c0b",
                    "aef69ed2c7aa2fe07");
        }
        TranscriptFiles.Found missing = TranscriptFiles.find(List.of(tmp.resolve("nope.jsonl"), tmp));
        assertThat(missing.sessions()).isEmpty();
        assertThat(missing.problems()).satisfiesExactly(
                p -> assertThat(p).endsWith("nope.jsonl: no such file or folder"),
                p -> assertThat(p).contains("no Claude Code transcripts"));
    }

    @Test
    void unreadableOrInvalidFilesAreRefusedNamingTheFileAndBadLinesAreSkipped() throws IOException {
        Path notJson = Files.writeString(tmp.resolve("x.jsonl"), "hello\n[1,2]\n");
        assertThatThrownBy(() -> reader.read(notJson)).isInstanceOf(TranscriptException.class)
                .hasMessageContaining("x.jsonl: not a Claude Code transcript")
                .hasMessageContaining("line 1: not JSON");
        assertThatThrownBy(() -> reader.read(tmp.resolve("gone.jsonl"))).isInstanceOf(TranscriptException.class)
                .hasMessageContaining("gone.jsonl: cannot be read");

        Path partial = Files.writeString(tmp.resolve("s.jsonl"), """
                {"type":"user","sessionId":"s9","promptId":"p9","uuid":"u1","timestamp":"2026-11-25T10:00:00Z",\
                "message":{"role":"user","content":"hi"}}
                {"type":"assistant","sessionId":"s9","uuid":"u2","timestamp":"2026-11-25T10:00:01Z","requestId":"r1",\
                "message":{"id":"m1","model":"m","content":[{"type":"text","text":"yo"}],"stop_reason":"end_turn",\
                "usage":{"input_tokens":3,"output_tokens":4}}}
                {"type":"assistant","sessionId":"s9","uu
                """);
        TranscriptReader.Transcript t = reader.read(partial);
        assertThat(t.entries()).hasSize(2);
        assertThat(t.badLines()).singleElement().asString().startsWith("line 3: not JSON");
        TranscriptMapper.Mapped mapped = mapper.map(t, Map.of());
        store(mapped.events());
        ActivityTree tree = TreeBuilder.build("s9", store.events("s9"), 0);
        assertThat(tree.roots().getFirst().status()).isEqualTo(OperationStatus.SUCCESS);
        assertThat(tree.roots().getFirst().children()).singleElement().satisfies(n -> {
            assertThat(n.kind()).isEqualTo(OperationKind.LLM);
            assertThat(n.durationMs()).isEqualTo(1_000L);
            assertThat(attrs(n)).containsEntry("output_tokens", 4);
        });
    }

    @Test
    void promptsAndToolIoFollowTheCaptureLevelAndSecretsAreRedacted() throws IOException {
        Path file = Files.writeString(tmp.resolve("s.jsonl"), """
                {"type":"user","sessionId":"s8","promptId":"p1","uuid":"u1","timestamp":"2026-11-25T10:00:00Z",\
                "message":{"role":"user","content":"deploy with token=abcd1234efgh"}}
                {"type":"assistant","sessionId":"s8","uuid":"u2","timestamp":"2026-11-25T10:00:01Z","requestId":"r1",\
                "message":{"id":"m1","model":"m","content":[{"type":"tool_use","id":"t1","name":"Bash",\
                "input":{"command":"echo sk-ant-api03-aaaaaaaaaaaaaaaaaaaaaaaa"}}],"stop_reason":"tool_use"}}
                {"type":"user","sessionId":"s8","uuid":"u3","timestamp":"2026-11-25T10:00:02Z",\
                "message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"ok"}]}}
                """);
        String all = JSON.writeValueAsString(mapper.map(reader.read(file), Map.of()).events());
        assertThat(all).contains("deploy with token=[REDACTED]").doesNotContain("abcd1234efgh", "sk-ant-api03");
        var none = new dev.mos.config.MosConfig.Privacy(true, List.of(), "none", "none", 200, 2_000);
        String quiet = JSON.writeValueAsString(new TranscriptMapper(JSON, new CapturePolicy(none))
                .map(reader.read(file), Map.of()).events());
        assertThat(quiet).doesNotContain("deploy", "tool_input", "tool_response", "echo");
    }

    /** The node's start and end details merged, as the tree JSON shows them. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> attrs(OperationNode node) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Event e : new Event[] {node.start(), node.end()}) {
            if (e != null && e.detailsJson() != null) {
                out.putAll(JSON.readValue(e.detailsJson(), Map.class));
            }
        }
        return out;
    }

    private static List<OperationNode> nonLlm(OperationNode node) {
        return node.children().stream().filter(n -> n.kind() != OperationKind.LLM).toList();
    }

    private static void collect(OperationNode node, OperationKind kind, List<OperationNode> into) {
        for (OperationNode child : node.children()) {
            if (child.kind() == kind) {
                into.add(child);
            }
            collect(child, kind, into);
        }
    }
}
