package dev.mos.ingest.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mos.MutableClock;
import dev.mos.health.IngestCounters;
import dev.mos.ingest.EventDecoder;
import dev.mos.ingest.EventRejectedException;
import dev.mos.ingest.IngestPipeline;
import dev.mos.ingest.IngestResult;
import dev.mos.ingest.privacy.CapturePolicy;
import dev.mos.ingest.privacy.Redactor;
import dev.mos.live.LiveFeed;
import dev.mos.model.ActivityTree;
import dev.mos.model.OperationKind;
import dev.mos.model.OperationNode;
import dev.mos.model.OperationStatus;
import dev.mos.model.TreeBuilder;
import dev.mos.store.StoreLimits;
import dev.mos.store.memory.MemorySessionStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Replays the hook payloads of a real capture of Claude Code 2.1.332 (three {@code claude -p} runs: a subagent with two
 * Bash calls, a failing Bash call, two parallel Bash calls) through the one ingest pipeline and checks the trees.
 */
class HookEventMapperTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SUBAGENT_SESSION = "0f25bb1d-e961-4969-9630-734170d89353";
    private static final String FAILING_SESSION = "55ad8187-3cf1-45e6-95a8-bc90f3ac46ef";
    private static final String PARALLEL_SESSION = "a26d188e-caf8-4136-9754-59feaeef5b78";

    private final MutableClock clock = new MutableClock(1_764_000_000_000L);
    private final MemorySessionStore store = new MemorySessionStore(new StoreLimits(10_000, 64L << 20), clock);
    private final LiveFeed live = new LiveFeed();
    private final IngestPipeline pipeline = new IngestPipeline(new EventDecoder(JSON, clock), store, live,
            new IngestCounters(new SimpleMeterRegistry()));
    private final HookReceiver receiver = new HookReceiver(
            new HookEventMapper(JSON, CapturePolicy.defaults(), new AgentLinks()), pipeline);

    @AfterEach
    void close() {
        store.close();
        live.close();
    }

    private void replayCapture() throws Exception {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("/claude-code-2.1.332-capture.jsonl"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                Map<?, ?> record = JSON.readValue(line, Map.class);
                if ("/hooks".equals(record.get("path"))) {
                    Map<?, ?> payload = JSON.readValue((String) record.get("body"), Map.class);
                    List<IngestResult> results = receiver.accept(payload, "hooks");
                    assertThat(results).allSatisfy(res -> assertThat(res.error()).isNull());
                    clock.advance(5);
                }
            }
        }
    }

    private ActivityTree tree(String sessionId) {
        return TreeBuilder.build(sessionId, store.events(sessionId), 0);
    }

    private static OperationNode task(ActivityTree tree) {
        return tree.roots().stream().filter(n -> n.kind() == OperationKind.TASK && n.id().startsWith("prompt:"))
                .findFirst().orElseThrow(() -> new AssertionError("no prompt task in " + tree.roots()));
    }

    @Test
    void subagentToolsNestUnderTheAgentCallWithClaudeCodesDurations() throws Exception {
        replayCapture();
        ActivityTree tree = tree(SUBAGENT_SESSION);

        OperationNode task = task(tree);
        assertThat(task.name()).isEqualTo("[[sc:subagent]] please work");
        assertThat(task.status()).isEqualTo(OperationStatus.SUCCESS);
        assertThat(task.children()).hasSize(1);
        OperationNode agent = task.children().getFirst();
        assertThat(agent.kind()).isEqualTo(OperationKind.SUBAGENT);
        assertThat(agent.id()).isEqualTo("toolu_sim_1_0");
        assertThat(agent.name()).isEqualTo("Agent");
        assertThat(agent.status()).isEqualTo(OperationStatus.SUCCESS);
        assertThat(agent.durationMs()).isEqualTo(997L);
        assertThat(agent.children()).extracting(OperationNode::id).containsExactly("toolu_sim_2_0", "toolu_sim_3_0");
        assertThat(agent.children()).extracting(OperationNode::durationMs).containsExactly(23L, 808L);
        assertThat(agent.children()).allSatisfy(n -> {
            assertThat(n.kind()).isEqualTo(OperationKind.TOOL);
            assertThat(n.name()).isEqualTo("Bash");
            assertThat(n.status()).isEqualTo(OperationStatus.SUCCESS);
        });
        // SessionStart and SessionEnd are in the timeline, each a completed point, nothing left running
        assertThat(tree.roots()).extracting(OperationNode::name).contains("SessionStart", "SessionEnd");
        assertThat(tree.runningCount()).isZero();
    }

    @Test
    void everyHookSessionIsClaudeCodes() throws Exception {
        replayCapture();
        assertThat(store.sessions()).isNotEmpty().allSatisfy(info -> assertThat(info.agent())
                .isEqualTo(dev.mos.model.CodingAgent.CLAUDE_CODE));
    }

    @Test
    void aFailingToolIsAnErrorWithClaudeCodesMessage() throws Exception {
        replayCapture();
        OperationNode bash = task(tree(FAILING_SESSION)).children().getFirst();
        assertThat(bash.status()).isEqualTo(OperationStatus.ERROR);
        assertThat(bash.durationMs()).isEqualTo(21L);
        assertThat(bash.end().detailsJson()).contains("Exit code 3");
    }

    @Test
    void parallelCallsPairByToolUseIdWhateverOrderTheyEndIn() throws Exception {
        replayCapture();
        OperationNode task = task(tree(PARALLEL_SESSION));
        Map<String, Long> durations = new LinkedHashMap<>();
        task.children().forEach(n -> durations.put(n.id(), n.durationMs()));
        assertThat(durations).containsEntry("toolu_sim_8_0", 326L).containsEntry("toolu_sim_8_1", 220L).hasSize(2);
    }

    @Test
    void mcpToolsAreMcpOperationsWithServerAndToolSplitOut() {
        receiver.accept(hook("PreToolUse", Map.of("tool_name", "mcp__mos__get_health_status",
                "tool_use_id", "t1", "tool_input", Map.of())), "hooks");
        receiver.accept(hook("PostToolUse", Map.of("tool_name", "mcp__mos__get_health_status",
                "tool_use_id", "t1", "duration_ms", 12)), "hooks");
        OperationNode op = tree("s1").roots().getFirst();
        assertThat(op.kind()).isEqualTo(OperationKind.MCP);
        assertThat(op.durationMs()).isEqualTo(12L);
        assertThat(op.start().detailsJson()).contains("\"mcp_server\":\"mos\"", "\"mcp_tool\":\"get_health_status\"");
    }

    @Test
    void unknownEventsAndFieldsAreStoredNotRefused() {
        Map<String, Object> payload = hook("SomethingNew", Map.of("brand_new_field", Map.of("deep", List.of(1, 2)),
                "tool_use_id", "x"));
        List<IngestResult> results = receiver.accept(payload, "hooks");
        assertThat(results).singleElement().satisfies(r -> assertThat(r.accepted()).isTrue());
        assertThat(results.getFirst().event().name()).isEqualTo("SomethingNew");
        assertThat(results.getFirst().event().detailsJson()).contains("brand_new_field");
    }

    @Test
    void aPayloadWithoutASessionIsRefusedByName() {
        assertThatThrownBy(() -> receiver.accept(Map.of("hook_event_name", "Stop"), "hooks"))
                .isInstanceOf(EventRejectedException.class).hasMessageContaining("session_id");
    }

    @Test
    void secretsAreRedactedAndLargeValuesCutBeforeStorage() {
        receiver.accept(hook("PreToolUse", Map.of("tool_name", "Bash", "tool_use_id", "t9", "tool_input",
                Map.of("command", "curl -H 'Authorization: Bearer abcdefghijklmnop123' "
                        + "https://bob:hunter2secret@example.com && export ANTHROPIC_API_KEY=sk-ant-api03-"
                        + "aaaaaaaaaaaaaaaaaaaaaaaa; echo AKIAABCDEFGHIJKLMNOP"))), "hooks");
        receiver.accept(hook("PostToolUse", Map.of("tool_name", "Read", "tool_use_id", "t10", "tool_response",
                "DB_PASSWORD=s3cr3tvalue\n" + "x".repeat(10_000))), "hooks");
        String command = store.events("s1").get(0).detailsJson();
        assertThat(command).doesNotContain("abcdefghijklmnop123", "hunter2secret", "sk-ant-api03",
                "AKIAABCDEFGHIJKLMNOP").contains(Redactor.MARK).contains("curl -H");
        String output = store.events("s1").get(1).detailsJson();
        assertThat(output).doesNotContain("s3cr3tvalue").contains("DB_PASSWORD=" + Redactor.MARK)
                .contains("…[truncated ");
        assertThat(output.length()).isLessThan(2_500);
    }

    @Test
    void promptTextIsKeptOnlyAsAnExcerpt() {
        receiver.accept(hook("UserPromptSubmit", Map.of("prompt", "p".repeat(1_000))), "hooks");
        String details = store.events("s1").getFirst().detailsJson();
        assertThat(details).contains("…[truncated 800 chars]");
    }

    @Test
    void parallelAgentsOfTheSameTypeNestUnderTheCallThatNamesThem() {
        // two Agent calls in flight, same subagent_type: SubagentStart cannot tell them apart by order
        receiver.accept(hook("UserPromptSubmit", Map.of("prompt", "go")), "hooks");
        receiver.accept(hook("PreToolUse", agentCall("tA")), "hooks");
        receiver.accept(hook("PreToolUse", agentCall("tB")), "hooks");
        receiver.accept(hook("SubagentStart", Map.of("agent_id", "a2", "agent_type", "general-purpose")), "hooks");
        receiver.accept(hook("SubagentStart", Map.of("agent_id", "a1", "agent_type", "general-purpose")), "hooks");
        receiver.accept(hook("PreToolUse", subagentTool("a1", "x1")), "hooks");
        receiver.accept(hook("PreToolUse", subagentTool("a2", "x2")), "hooks");
        receiver.accept(hook("PostToolUse", subagentTool("a2", "x2")), "hooks");
        receiver.accept(hook("PostToolUse", subagentTool("a1", "x1")), "hooks");
        receiver.accept(hook("SubagentStop", Map.of("agent_id", "a1", "agent_type", "general-purpose")), "hooks");
        receiver.accept(hook("SubagentStop", Map.of("agent_id", "a2", "agent_type", "general-purpose")), "hooks");
        receiver.accept(hook("PostToolUse", agentDone("tB", "a2")), "hooks");
        receiver.accept(hook("PostToolUse", agentDone("tA", "a1")), "hooks");
        receiver.accept(hook("Stop", Map.of()), "hooks");

        OperationNode task = task(tree("s1"));
        assertThat(task.children()).extracting(OperationNode::id).containsExactly("tA", "tB");
        OperationNode a = task.children().get(0);
        OperationNode b = task.children().get(1);
        assertThat(a.children()).extracting(OperationNode::id).containsExactly("agent:a1");
        assertThat(a.children().getFirst().children()).extracting(OperationNode::id).containsExactly("x1");
        assertThat(b.children()).extracting(OperationNode::id).containsExactly("agent:a2");
        assertThat(b.children().getFirst().children()).extracting(OperationNode::id).containsExactly("x2");
        assertThat(tree("s1").runningCount()).isZero();
    }

    @Test
    void parallelAgentsOfDifferentTypesPairByType() {
        receiver.accept(hook("UserPromptSubmit", Map.of("prompt", "go")), "hooks");
        receiver.accept(hook("PreToolUse", agentCall("tA", "Explore")), "hooks");
        receiver.accept(hook("PreToolUse", agentCall("tB", "Plan")), "hooks");
        receiver.accept(hook("SubagentStart", Map.of("agent_id", "b", "agent_type", "Plan")), "hooks");
        receiver.accept(hook("SubagentStart", Map.of("agent_id", "a", "agent_type", "Explore")), "hooks");
        receiver.accept(hook("PreToolUse", subagentTool("b", "xb")), "hooks");
        receiver.accept(hook("PreToolUse", subagentTool("a", "xa")), "hooks");

        OperationNode task = task(tree("s1"));
        assertThat(task.children()).extracting(OperationNode::id).containsExactly("tA", "tB");
        assertThat(task.children().get(0).children()).extracting(OperationNode::id).containsExactly("xa");
        assertThat(task.children().get(1).children()).extracting(OperationNode::id).containsExactly("xb");
    }

    @Test
    void permissionRequestIsRecordedOnTheOpenCallOfThatTool() {
        Map<String, Object> input = Map.of("command", "rm -rf build");
        receiver.accept(hook("PreToolUse", Map.of("tool_name", "Bash", "tool_use_id", "t1", "tool_input",
                Map.of("command", "ls"))), "hooks");
        receiver.accept(hook("PreToolUse", Map.of("tool_name", "Bash", "tool_use_id", "t2", "tool_input", input)),
                "hooks");
        receiver.accept(hook("PermissionRequest", Map.of("tool_name", "Bash", "tool_input", input)), "hooks");
        receiver.accept(hook("PermissionDenied", Map.of("tool_name", "Bash", "tool_use_id", "t2", "reason",
                "user said no")), "hooks");

        var events = store.events("s1");
        assertThat(events.get(2).correlationId()).isEqualTo("t2");
        assertThat(events.get(2).name()).isEqualTo("PermissionRequest");
        OperationNode t2 = tree("s1").roots().stream().filter(n -> n.id().equals("t2")).findFirst().orElseThrow();
        assertThat(t2.status()).isEqualTo(OperationStatus.ERROR);
    }

    @Test
    void aPayloadTimestampIsKeptElseTheReceiveTime() {
        receiver.accept(hook("Notification", Map.of("message", "hi", "timestamp", "2026-11-25T10:00:00.250Z")),
                "hooks");
        receiver.accept(hook("Notification", Map.of("message", "hi again")), "hooks");
        assertThat(store.events("s1").get(0).timestamp()).isEqualTo(java.time.Instant.parse(
                "2026-11-25T10:00:00.250Z").toEpochMilli());
        assertThat(store.events("s1").get(1).timestamp()).isEqualTo(clock.millis());
    }

    @Test
    void captureLevelsDecideWhatTextIsKept() {
        var none = new dev.mos.config.MosConfig.Privacy(true, List.of("internal-[0-9]{4}"), "none", "none", 200,
                2_000);
        var quiet = new HookReceiver(new HookEventMapper(JSON, new CapturePolicy(none), new AgentLinks()), pipeline);
        quiet.accept(hook("UserPromptSubmit", Map.of("prompt", "secret plan")), "hooks");
        quiet.accept(hook("PreToolUse", Map.of("tool_name", "Bash", "tool_use_id", "t1", "tool_input",
                Map.of("command", "ls"), "note", "ticket internal-1234")), "hooks");
        String prompt = store.events("s1").get(0).detailsJson();
        String tool = store.events("s1").get(1).detailsJson();
        assertThat(prompt).doesNotContain("secret plan");
        assertThat(store.events("s1").get(0).name()).isEqualTo("Prompt");
        assertThat(tool).doesNotContain("tool_input").doesNotContain("internal-1234").contains(Redactor.MARK);

        var full = new dev.mos.config.MosConfig.Privacy(false, List.of(), "full", "full", 200, 2_000);
        var loud = new HookReceiver(new HookEventMapper(JSON, new CapturePolicy(full), new AgentLinks()), pipeline);
        loud.accept(hook("UserPromptSubmit", Map.of("prompt", "q".repeat(5_000))), "hooks");
        assertThat(store.events("s1").get(2).detailsJson()).contains("q".repeat(5_000)).doesNotContain("truncated");
    }

    private static Map<String, Object> agentCall(String id) {
        return agentCall(id, "general-purpose");
    }

    private static Map<String, Object> agentCall(String id, String type) {
        return Map.of("tool_name", "Agent", "tool_use_id", id, "tool_input", Map.of("description", "d " + id,
                "prompt", "work", "subagent_type", type));
    }

    private static Map<String, Object> agentDone(String id, String agentId) {
        return Map.of("tool_name", "Agent", "tool_use_id", id, "tool_response", Map.of("agentId", agentId,
                "status", "completed"), "duration_ms", 50);
    }

    private static Map<String, Object> subagentTool(String agentId, String id) {
        return Map.of("tool_name", "Bash", "tool_use_id", id, "agent_id", agentId, "agent_type", "general-purpose",
                "tool_input", Map.of("command", "echo " + id));
    }

    private static Map<String, Object> hook(String name, Map<String, Object> fields) {
        Map<String, Object> payload = new LinkedHashMap<>(fields);
        payload.put("session_id", "s1");
        payload.put("prompt_id", "p1");
        payload.put("hook_event_name", name);
        return new LinkedHashMap<>(payload);
    }

    /** Found by HookMapperFuzzTest: such ids used to be answered 200 while the decoder dropped their events. */
    @Test
    void aPayloadWithAnUnusableIdIsRefusedNamingTheField() {
        Map<String, Object> control = new LinkedHashMap<>(Map.of("session_id", "s-ids",
                "hook_event_name", "PreToolUse", "tool_name", "Read", "tool_use_id", "toolu_\u0007"));
        assertThatThrownBy(() -> receiver.accept(control, "hooks")).isInstanceOf(EventRejectedException.class)
                .hasMessage("tool_use_id must not contain control characters in a hook payload (Claude Code sends "
                        + "short ids)");
        Map<String, Object> longHook = Map.of("session_id", "s-ids", "hook_event_name", "H".repeat(300));
        assertThatThrownBy(() -> receiver.accept(longHook, "hooks")).isInstanceOf(EventRejectedException.class)
                .hasMessageStartingWith("hook_event_name must be at most 214 characters, got 300");
        assertThat(store.session("s-ids")).isEmpty();
    }

    /** Found by HookMapperFuzzTest: a duration past the decoder's bound used to drop the whole event. */
    @Test
    void aDurationOutOfBoundsIsLeftOffTheStoredEvent() {
        Map<String, Object> post = Map.of("session_id", "s-dur", "hook_event_name", "PostToolUse",
                "tool_name", "Read", "tool_use_id", "toolu_1", "duration_ms", 1e15);
        List<IngestResult> results = receiver.accept(post, "hooks");
        assertThat(results).allSatisfy(r -> assertThat(r.error()).isNull());
        assertThat(results.getFirst().event().durationMs()).isNull();
    }
}
