package dev.mos.ingest.transcript;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The real session files of the captured Codex CLI 0.171.0 run (the same run as the OTLP capture), laid out as
 * Codex keeps them, through the file search, the mapper and the one ingest pipeline.
 */
class CodexRolloutMapperTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SESSION = "01a24fd3-8c32-74c3-bc59-06d0e1a87bd7";
    private static final String SUBAGENT = "01a24fd3-8e72-77f0-a063-8d5c0e3c7638";

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(1_796_635_590_000L);
    private final MemorySessionStore store = new MemorySessionStore(new StoreLimits(10_000, 64L << 20), clock);
    private final LiveFeed live = new LiveFeed();
    private final IngestPipeline pipeline = new IngestPipeline(new EventDecoder(JSON, clock), store, live,
            new IngestCounters(new SimpleMeterRegistry()));
    private final TranscriptReader reader = new TranscriptReader(JSON);
    private final CodexRolloutMapper mapper = new CodexRolloutMapper(JSON, CapturePolicy.defaults());

    @AfterEach
    void close() {
        store.close();
        live.close();
    }

    /** ~/.codex/sessions with the two files where Codex wrote them. */
    private Path sessions() throws Exception {
        Path day = Files.createDirectories(tmp.resolve("sessions/2026/12/07"));
        copy("codex-0.171.0-rollout.jsonl", day.resolve("rollout-2026-12-07T09-26-33-" + SESSION + ".jsonl"));
        copy("codex-0.171.0-rollout-subagent.jsonl", day.resolve("rollout-2026-12-07T09-26-34-" + SUBAGENT
                + ".jsonl"));
        return tmp.resolve("sessions");
    }

    private void copy(String resource, Path to) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/dev/mos/agents/" + resource)) {
            Files.copy(in, to);
        }
    }

    @Test
    void aRealSessionWithItsSubagentBecomesTheTreeTheLiveMappingGives() throws Exception {
        CodexRolloutFiles.Found found = CodexRolloutFiles.find(List.of(sessions()), JSON);
        assertThat(found.problems()).isEmpty();
        assertThat(found.others()).isEmpty();
        assertThat(found.sessions()).singleElement().satisfies(s -> assertThat(s.subagents()).containsOnlyKeys(
                SUBAGENT));
        CodexRolloutFiles.Session session = found.sessions().getFirst();
        Map<String, TranscriptReader.Transcript> subs = new LinkedHashMap<>();
        session.subagents().forEach((id, f) -> subs.put(id, reader.readCodex(f)));
        TranscriptMapper.Mapped mapped = mapper.map(reader.readCodex(session.root()), subs);
        assertThat(mapped.sessionId()).isEqualTo(SESSION);
        List<IngestResult> results = pipeline.acceptBatch(mapped.events(), "import");
        assertThat(results).allSatisfy(r -> assertThat(r.error()).as("refused").isNull());

        ActivityTree tree = TreeBuilder.build(SESSION, store.events(SESSION), 0);
        assertThat(tree.roots()).hasSize(1);
        OperationNode task = tree.roots().getFirst();
        // the live mapping's task id: the turn's trace
        assertThat(task.id()).isEqualTo("prompt:df5dc6d38e0fa65c035c511fdb0d2441");
        assertThat(task.name()).isEqualTo("[[sc:main]] please work");
        assertThat(task.status()).isEqualTo(OperationStatus.SUCCESS);
        assertThat(task.durationMs()).isEqualTo(1008L);
        List<OperationNode> work = task.children().stream().filter(n -> n.kind() != OperationKind.LLM).toList();
        assertThat(work).extracting(n -> n.kind() + ":" + n.name() + ":" + n.status() + ":" + n.id()).containsExactly(
                "TOOL:exec_command:SUCCESS:call_sc_3", "TOOL:exec_command:ERROR:call_sc_6",
                "MCP:mcp__mos__list_sessions:SUCCESS:call_sc_9", "SUBAGENT:spawn_agent:SUCCESS:call_sc_12",
                "TOOL:wait_agent:SUCCESS:call_sc_15");
        assertThat(details(work.get(1).end()).path("error").asString()).isEqualTo("Process exited with code 3: boom");
        assertThat(details(work.get(2).end()).path("mcp_server").asString()).isEqualTo("mos");
        OperationNode agent = work.get(3);
        assertThat(agent.children()).filteredOn(n -> n.kind() == OperationKind.TOOL)
                .extracting(n -> details(n.end()).path("command").asString())
                .containsExactly("sleep 0.3; echo sub-slow");
        assertThat(agent.children()).filteredOn(n -> n.kind() == OperationKind.LLM).hasSize(2);
        assertThat(details(agent.end()).path("agent_name").asString()).isEqualTo("Socrates");
        List<OperationNode> llm = task.children().stream().filter(n -> n.kind() == OperationKind.LLM).toList();
        assertThat(llm).hasSize(6).allSatisfy(n -> {
            JsonNode d = details(n.end());
            assertThat(n.name()).isEqualTo("gpt-5.1-codex");
            assertThat(d.path("input_tokens").asLong()).as("1200 in, 800 of them cached").isEqualTo(400);
            assertThat(d.path("cache_read_tokens").asLong()).isEqualTo(800);
            assertThat(d.path("output_tokens").asLong()).isEqualTo(42);
        });
        assertThat(store.events(SESSION)).allSatisfy(e -> assertThat(details(e).path("agent").asString())
                .isEqualTo("codex"));
    }

    @Test
    void aSubagentFileWithoutItsSessionIsAProblemAndOtherPathsAreLeftForClaudeCode() throws Exception {
        Path alone = Files.createDirectories(tmp.resolve("alone"));
        copy("codex-0.171.0-rollout-subagent.jsonl", alone.resolve("rollout-x-" + SUBAGENT + ".jsonl"));
        Path claude = Files.createDirectories(tmp.resolve("projects"));
        CodexRolloutFiles.Found found = CodexRolloutFiles.find(List.of(alone, claude), JSON);
        assertThat(found.sessions()).isEmpty();
        assertThat(found.problems()).singleElement().asString().contains("without its session's file");
        assertThat(found.others()).containsExactly(claude);
    }

    private static JsonNode details(Event e) {
        assertThat(e).isNotNull();
        return JSON.readTree(e.detailsJson() == null ? "{}" : e.detailsJson());
    }
}
