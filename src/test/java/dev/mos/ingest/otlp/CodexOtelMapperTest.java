package dev.mos.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.MutableClock;
import dev.mos.health.IngestCounters;
import dev.mos.ingest.EventDecoder;
import dev.mos.ingest.IngestPipeline;
import dev.mos.ingest.hooks.AgentLinks;
import dev.mos.ingest.privacy.Redactor;
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
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Replays the real capture of Codex CLI 0.171.0 (every OTLP request it sent in one {@code codex exec} run: a
 * command, a failing command, an MCP call to MOS, a subagent running its own command) through the receiver.
 */
class CodexOtelMapperTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String CAPTURE = "/dev/mos/agents/codex-0.171.0-capture.jsonl";
    /** The root conversation of the capture; the subagent's is 01a24fd3-8e72-77f0-a063-8d5c0e3c7638. */
    private static final String SESSION = "01a24fd3-8c32-74c3-bc59-06d0e1a87bd7";
    private static final String SUBAGENT = "01a24fd3-8e72-77f0-a063-8d5c0e3c7638";

    private final MutableClock clock = new MutableClock(1_796_635_590_000L);
    private final MemorySessionStore store = new MemorySessionStore(new StoreLimits(10_000, 64L << 20), clock);
    private final LiveFeed live = new LiveFeed();
    private final IngestPipeline pipeline = new IngestPipeline(new EventDecoder(JSON, clock), store, live,
            new IngestCounters(new SimpleMeterRegistry()));
    private final OtlpReceiver otlp = OtlpReceiver.create(JSON, Redactor.defaults(), new AgentLinks(),
            "test-instance", pipeline, clock);

    @AfterEach
    void close() {
        store.close();
        live.close();
    }

    private void replay() throws Exception {
        replay(false);
    }

    /** The capture's requests in the order sent, or with every trace request first. */
    private void replay(boolean tracesFirst) throws Exception {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream(CAPTURE), StandardCharsets.UTF_8))) {
            List<String> lines = new java.util.ArrayList<>(r.lines().toList());
            if (tracesFirst) {
                lines.sort(java.util.Comparator.comparing(l -> !l.startsWith("{\"path\":\"/v1/traces\"")));
            }
            for (String line : lines) {
                JsonNode request = JSON.readTree(line);
                byte[] body = JSON.writeValueAsBytes(request.path("body"));
                OtlpReceiver.Outcome outcome = switch (request.path("path").asString()) {
                    case "/v1/logs" -> otlp.logs(body, false);
                    case "/v1/metrics" -> otlp.metrics(body, false);
                    case "/v1/traces" -> otlp.traces(body, false);
                    default -> throw new AssertionError(line);
                };
                assertThat(outcome.rejected()).as(outcome.errorMessage()).isZero();
                clock.advance(5);
            }
        }
    }

    private ActivityTree tree() {
        return TreeBuilder.build(SESSION, store.events(SESSION), 0);
    }

    @Test
    void oneSessionWithATaskHoldingToolsMcpSubagentAndLlmCalls() throws Exception {
        replay();

        // the subagent is no session of its own: it nests in its parent's
        assertThat(store.events(SUBAGENT)).isEmpty();
        ActivityTree tree = tree();
        assertThat(tree.roots()).hasSize(1);
        OperationNode task = tree.roots().getFirst();
        assertThat(task.id()).startsWith("prompt:");
        assertThat(task.kind()).isEqualTo(OperationKind.TASK);
        assertThat(task.name()).isEqualTo("[[sc:main]] please work");
        assertThat(details(task.start()).path("provider_name").asString()).isEqualTo("Responses API stand-in");
        assertTurnClosedBySpan(task);

        List<OperationNode> work = task.children().stream().filter(n -> n.kind() != OperationKind.LLM).toList();
        assertThat(work).extracting(n -> n.kind() + ":" + n.name() + ":" + n.status()).containsExactly(
                "TOOL:exec_command:SUCCESS", "TOOL:exec_command:ERROR", "MCP:mcp__mos__list_sessions:SUCCESS",
                "SUBAGENT:spawn_agent:SUCCESS", "TOOL:wait_agent:SUCCESS");
        assertThat(details(work.get(0).end()).path("command").asString()).isEqualTo("echo hello-from-codex");
        assertThat(work.get(0).durationMs()).isEqualTo(39L);
        JsonNode failed = details(work.get(1).end());
        assertThat(failed.path("error").asString()).isEqualTo("Process exited with code 3: boom");
        assertThat(failed.path("exit_code").asInt()).isEqualTo(3);
        JsonNode mcp = details(work.get(2).end());
        assertThat(mcp.path("mcp_server").asString()).isEqualTo("mos");
        assertThat(mcp.path("mcp_tool").asString()).isEqualTo("list_sessions");

        // the subagent's work nests under its spawn_agent call, which lasts until wait_agent saw it complete
        OperationNode agent = work.get(3);
        assertThat(details(agent.start()).path("prompt").asString()).isEqualTo("[[sc:sub]] Look around.");
        List<OperationNode> inAgent = agent.children();
        assertThat(inAgent).filteredOn(n -> n.kind() == OperationKind.TOOL)
                .extracting(n -> n.name() + ":" + n.status() + ":" + details(n.end()).path("command").asString())
                .containsExactly("exec_command:SUCCESS:sleep 0.3; echo sub-slow");
        assertThat(inAgent).filteredOn(n -> n.kind() == OperationKind.LLM).hasSize(2);
        String nickname = details(agent.end()).path("agent_name").asString();
        assertThat(nickname).as("nickname spawn_agent returned").isNotBlank().isNotEqualTo("/root");
        assertThat(inAgent).allSatisfy(n -> assertThat(details(n.end()).path("agent_name").asString())
                .isEqualTo(nickname));
        OperationNode slow = inAgent.stream().filter(n -> n.kind() == OperationKind.TOOL).findFirst().orElseThrow();
        assertThat(agent.durationMs()).isGreaterThanOrEqualTo(slow.durationMs());
        assertThat(slow.durationMs()).isGreaterThanOrEqualTo(300L);

        // six model calls of the main conversation, each with the tokens the stand-in reported
        List<OperationNode> llm = task.children().stream().filter(n -> n.kind() == OperationKind.LLM).toList();
        assertThat(llm).hasSize(6);
        for (OperationNode call : llm) {
            assertThat(call.status()).isEqualTo(OperationStatus.SUCCESS);
            assertThat(call.name()).isEqualTo("gpt-5.1-codex");
            JsonNode d = details(call.end());
            assertThat(d.path("input_tokens").asLong()).as("1200 in, 800 of them cached").isEqualTo(400);
            assertThat(d.path("output_tokens").asLong()).isEqualTo(42);
            assertThat(d.path("cache_read_tokens").asLong()).isEqualTo(800);
            assertThat(d.path("reasoning_tokens").asLong()).isEqualTo(7);
            assertThat(d.has("cost_usd")).as("Codex reports no cost").isFalse();
        }
    }

    /** The turn's session_task.turn span closed the task: its end, duration and token totals. */
    private static void assertTurnClosedBySpan(OperationNode task) {
        assertThat(task.status()).isEqualTo(OperationStatus.SUCCESS);
        JsonNode end = details(task.end());
        assertThat(end.path("closed_by").asString()).isEqualTo("session_task.turn");
        assertThat(end.path("turn_input_tokens").asLong()).isEqualTo(7200);
        assertThat(end.path("turn_output_tokens").asLong()).isEqualTo(252);
        assertThat(task.durationMs()).isEqualTo(1011L);
    }

    @Test
    void theSessionsProjectIsTheWorkingDirectoryCodexsSpansName() throws Exception {
        replay();
        assertThat(store.session(SESSION).orElseThrow().project())
                .isEqualTo("/work/wt-codex/target/codex-capture15834907596782197869/work");
        assertThat(details(tree().roots().getFirst().end()).path("cwd").asString())
                .isEqualTo("/work/wt-codex/target/codex-capture15834907596782197869/work");
    }

    @Test
    void theTurnSpanClosesTheTaskAlsoWhenTracesComeBeforeTheLogs() throws Exception {
        replay(true);
        ActivityTree tree = tree();
        assertThat(tree.roots()).hasSize(1);
        assertTurnClosedBySpan(tree.roots().getFirst());
        assertThat(store.events(SUBAGENT)).isEmpty();
    }

    /**
     * Codex's exporter batches spans by time: codex.turn_input (which holds the conversation) ends when the turn's
     * input is recorded, session_task.turn when the turn is done, so a batch boundary between them is ordinary
     * (seen in AllAgentsIT). Every span in a request of its own, in the order sent and reversed within each
     * request: the turn must still close its task.
     */
    @Test
    void theTurnSpanClosesTheTaskAlsoWhenItsConversationSpanCameInAnotherRequest() throws Exception {
        for (boolean reversed : new boolean[] {false, true}) {
            MemorySessionStore own = new MemorySessionStore(new StoreLimits(10_000, 64L << 20), clock);
            IngestPipeline ownPipeline = new IngestPipeline(new EventDecoder(JSON, clock), own, live,
                    new IngestCounters(new SimpleMeterRegistry()));
            OtlpReceiver receiver = OtlpReceiver.create(JSON, Redactor.defaults(), new AgentLinks(), "test-instance",
                    ownPipeline, clock);
            try (BufferedReader r = new BufferedReader(new InputStreamReader(
                    getClass().getResourceAsStream(CAPTURE), StandardCharsets.UTF_8))) {
                for (String line : r.lines().toList()) {
                    JsonNode request = JSON.readTree(line);
                    JsonNode body = request.path("body");
                    if (!request.path("path").asString().equals("/v1/traces")) {
                        OtlpReceiver.Outcome outcome = request.path("path").asString().equals("/v1/logs")
                                ? receiver.logs(JSON.writeValueAsBytes(body), false)
                                : receiver.metrics(JSON.writeValueAsBytes(body), false);
                        assertThat(outcome.rejected()).isZero();
                        continue;
                    }
                    List<String> single = new java.util.ArrayList<>();
                    for (JsonNode rs : body.path("resourceSpans")) {
                        for (JsonNode ss : rs.path("scopeSpans")) {
                            for (JsonNode span : ss.path("spans")) {
                                single.add("{\"resourceSpans\":[{\"resource\":" + rs.path("resource")
                                        + ",\"scopeSpans\":[{\"scope\":" + ss.path("scope") + ",\"spans\":[" + span
                                        + "]}]}]}");
                            }
                        }
                    }
                    if (reversed) {
                        java.util.Collections.reverse(single);
                    }
                    for (String one : single) {
                        assertThat(receiver.traces(one.getBytes(StandardCharsets.UTF_8), false).rejected()).isZero();
                    }
                }
            }
            ActivityTree tree = TreeBuilder.build(SESSION, own.events(SESSION), 0);
            assertThat(tree.roots()).as("reversed=%s", reversed).hasSize(1);
            assertTurnClosedBySpan(tree.roots().getFirst());
            own.close();
        }
    }

    /**
     * Codex's log and trace exporters post at the same time, so their requests are mapped on two threads at once: a
     * turn span that finds no thread of its conversation yet must not lose its end to the prompt being mapped
     * beside it (seen in CI: AllAgentsIT's Codex task stayed running). Many races, each must close the task.
     */
    @Test
    void theTurnSpanClosesTheTaskWhenItsLogsAreMappedAtTheSameTime() throws Exception {
        List<byte[]> logs = new java.util.ArrayList<>();
        List<String> turnSpans = new java.util.ArrayList<>();
        String resource = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream(CAPTURE), StandardCharsets.UTF_8))) {
            for (String line : r.lines().toList()) {
                JsonNode request = JSON.readTree(line);
                switch (request.path("path").asString()) {
                    case "/v1/logs" -> logs.add(JSON.writeValueAsBytes(request.path("body")));
                    case "/v1/traces" -> {
                        for (JsonNode rs : request.path("body").path("resourceSpans")) {
                            resource = rs.path("resource").toString();
                            for (JsonNode ss : rs.path("scopeSpans")) {
                                for (JsonNode span : ss.path("spans")) {
                                    String name = span.path("name").asString();
                                    if (name.equals(CodexSpanMapper.TURN) || name.equals("codex.turn_input")) {
                                        turnSpans.add(span.toString());
                                    }
                                }
                            }
                        }
                    }
                    default -> { }
                }
            }
        }
        byte[] traces = ("{\"resourceSpans\":[{\"resource\":" + resource + ",\"scopeSpans\":[{\"spans\":["
                + String.join(",", turnSpans) + "]}]}]}").getBytes(StandardCharsets.UTF_8);
        java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 300; round++) {
                MemorySessionStore own = new MemorySessionStore(new StoreLimits(10_000, 64L << 20), clock);
                IngestPipeline ownPipeline = new IngestPipeline(new EventDecoder(JSON, clock), own, live,
                        new IngestCounters(new SimpleMeterRegistry()));
                OtlpReceiver receiver = OtlpReceiver.create(JSON, Redactor.defaults(), new AgentLinks(),
                        "test-instance", ownPipeline, clock);
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
                var logsDone = two.submit(() -> {
                    start.await();
                    for (byte[] body : logs) {
                        assertThat(receiver.logs(body, false).rejected()).isZero();
                    }
                    return null;
                });
                var tracesDone = two.submit(() -> {
                    start.await();
                    assertThat(receiver.traces(traces, false).rejected()).isZero();
                    return null;
                });
                logsDone.get();
                tracesDone.get();
                ActivityTree tree = TreeBuilder.build(SESSION, own.events(SESSION), 0);
                assertThat(tree.roots()).as("round %d", round).hasSize(1);
                assertThat(tree.roots().getFirst().status()).as("round %d", round)
                        .isEqualTo(OperationStatus.SUCCESS);
                own.close();
            }
        } finally {
            two.shutdownNow();
        }
    }

    /** The capture's log (and metric) requests only: the turn's spans lost, as codex exec at times loses them. */
    private void replayWithoutTraces() throws Exception {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream(CAPTURE), StandardCharsets.UTF_8))) {
            for (String line : r.lines().toList()) {
                JsonNode request = JSON.readTree(line);
                byte[] body = JSON.writeValueAsBytes(request.path("body"));
                switch (request.path("path").asString()) {
                    case "/v1/logs" -> assertThat(otlp.logs(body, false).rejected()).isZero();
                    case "/v1/metrics" -> assertThat(otlp.metrics(body, false).rejected()).isZero();
                    default -> { }
                }
            }
        }
    }

    private final dev.mos.ingest.hooks.HookReceiver hooks = new dev.mos.ingest.hooks.HookReceiver(
            new dev.mos.ingest.hooks.HookEventMapper(JSON, dev.mos.ingest.privacy.CapturePolicy.defaults(),
                    new AgentLinks()), otlp.codexNotify(), pipeline);

    /** What Codex 0.171.0 passed to its notify program in AllAgentsIT (ids of the capture's conversation). */
    private static java.util.Map<String, Object> turnComplete() {
        return java.util.Map.of("type", "agent-turn-complete", "thread-id", SESSION,
                "turn-id", "01a24fd3-8c50-7f21-9d5c-3a6f1e0c2b11", "cwd", "/work/project", "client", "codex_exec",
                "input-messages", List.of("please work"), "last-assistant-message", "All done.");
    }

    @Test
    void withoutTheTurnSpanCodexsNotifyClosesTheTaskAtItsLastActivity() throws Exception {
        replayWithoutTraces();
        assertThat(tree().roots().getFirst().status()).isEqualTo(OperationStatus.RUNNING);
        long lastActivity = store.events(SESSION).stream().mapToLong(Event::timestamp).max().orElseThrow();
        assertThat(hooks.accept(turnComplete(), "hooks")).hasSize(1);
        OperationNode task = tree().roots().getFirst();
        assertThat(task.status()).isEqualTo(OperationStatus.SUCCESS);
        assertThat(details(task.end()).path("closed_by").asString()).isEqualTo("notify");
        assertThat(details(task.end()).path("cwd").asString()).isEqualTo("/work/project");
        assertThat(details(task.end()).has("last-assistant-message")).isFalse();
        assertThat(task.end().timestamp()).isEqualTo(lastActivity);
        assertThat(hooks.accept(turnComplete(), "hooks")).as("a second notify closes nothing more").isEmpty();
    }

    @Test
    void aNotifyThatOvertakesTheLogsClosesTheTaskWhenItsPromptComes() throws Exception {
        assertThat(hooks.accept(turnComplete(), "hooks")).isEmpty();
        replayWithoutTraces();
        OperationNode task = tree().roots().getFirst();
        assertThat(task.status()).isEqualTo(OperationStatus.SUCCESS);
        assertThat(details(task.end()).path("closed_by").asString()).isEqualTo("notify");
    }

    @Test
    void withTheTurnSpanTheNotifyAddsNothing() throws Exception {
        replay();
        assertThat(hooks.accept(turnComplete(), "hooks")).isEmpty();
        assertTurnClosedBySpan(tree().roots().getFirst());
    }

    @Test
    void withOnlyTheLogExporterTheRecordsHaveNoTraceAndTheTreeIsTheSameButTheTurnStaysOpen() throws Exception {
        // a second real run, [otel] exporter only: Codex then sends no trace or span ids on its log records
        try (BufferedReader r = new BufferedReader(new InputStreamReader(getClass().getResourceAsStream(
                "/dev/mos/agents/codex-0.171.0-capture-logs-only.jsonl"), StandardCharsets.UTF_8))) {
            for (String line : r.lines().toList()) {
                JsonNode request = JSON.readTree(line);
                assertThat(request.path("path").asString()).isEqualTo("/v1/logs");
                assertThat(otlp.logs(JSON.writeValueAsBytes(request.path("body")), false).rejected()).isZero();
            }
        }
        String session = "01a24fe7-f7e8-7072-b909-b07a75f65fd3";
        ActivityTree tree = TreeBuilder.build(session, store.events(session), 0);
        assertThat(tree.roots()).singleElement().satisfies(task -> {
            assertThat(task.id()).startsWith("prompt:" + session + ":");
            assertThat(task.name()).isEqualTo("[[sc:main]] please work");
            assertThat(task.running()).as("no turn end without the trace exporter").isTrue();
            assertThat(task.children()).filteredOn(n -> n.kind() != OperationKind.LLM)
                    .extracting(n -> n.name() + ":" + n.status()).containsExactly("exec_command:SUCCESS",
                            "exec_command:ERROR", "mcp__mos__list_sessions:SUCCESS", "spawn_agent:SUCCESS",
                            "wait_agent:SUCCESS");
            assertThat(task.children()).filteredOn(n -> n.kind() == OperationKind.LLM).hasSize(6)
                    .allSatisfy(n -> assertThat(n.status()).isEqualTo(OperationStatus.SUCCESS));
        });
    }

    @Test
    void everyEventNamesCodexAsItsAgent() throws Exception {
        replay();
        List<Event> events = store.events(SESSION);
        assertThat(events).hasSizeGreaterThan(20);
        assertThat(events).allSatisfy(e -> assertThat(details(e).path("agent").asString()).isEqualTo("codex"));
    }

    @Test
    void withoutTracesTheNextPromptClosesTheTurnBeforeAtItsLastActivity() throws Exception {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream(CAPTURE), StandardCharsets.UTF_8))) {
            for (String line : r.lines().filter(l -> l.startsWith("{\"path\":\"/v1/logs\"")).toList()) {
                otlp.logs(JSON.writeValueAsBytes(JSON.readTree(line).path("body")), false);
            }
        }
        sendSecondPrompt();
        ActivityTree tree = tree();
        OperationNode first = tree.roots().getFirst();
        assertThat(first.status()).isEqualTo(OperationStatus.SUCCESS);
        assertThat(details(first.end()).path("closed_by").asString()).isEqualTo("next_prompt");
        assertThat(first.endMs()).isLessThan(tree.roots().get(1).startMs());
    }

    @Test
    void theNextPromptOpensTheNextTask() throws Exception {
        replay();
        sendSecondPrompt();
        ActivityTree tree = tree();
        assertThat(tree.roots()).extracting(OperationNode::name).containsExactly("[[sc:main]] please work",
                "and now this");
        OperationNode first = tree.roots().getFirst();
        assertTurnClosedBySpan(first); // not closed again by the next prompt
        assertThat(first.endMs()).isLessThan(tree.roots().get(1).startMs());
        assertThat(tree.roots().get(1).running()).isTrue();
    }

    @Test
    void twoPromptsInOneTraceAreStillTwoTasks() throws Exception {
        replay();
        JsonNode prompt = logRecordNamed("codex.user_prompt");
        String again = prompt.toString().replace("[[sc:main]] please work", "and now this")
                .replace("2026-12-07T09:26:34.035Z", "2026-12-07T09:27:00.000Z");
        String body = "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[" + again + "]}]}]}";
        assertThat(otlp.logs(body.getBytes(StandardCharsets.UTF_8), false).rejected()).isZero();
        ActivityTree tree = tree();
        assertThat(tree.roots()).extracting(OperationNode::name).containsExactly("[[sc:main]] please work",
                "and now this");
        assertTurnClosedBySpan(tree.roots().getFirst());
        assertThat(tree.roots().get(1).running()).isTrue();
    }

    /** A second turn of the same conversation, in a trace of its own, later. */
    private void sendSecondPrompt() throws Exception {
        JsonNode prompt = logRecordNamed("codex.user_prompt");
        String second = prompt.toString().replace("[[sc:main]] please work", "and now this")
                .replace("2026-12-07T09:26:34.035Z", "2026-12-07T09:27:00.000Z")
                .replace(prompt.path("traceId").asString(), "0123456789abcdef0123456789abcdef");
        String body = "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[" + second + "]}]}]}";
        assertThat(otlp.logs(body.getBytes(StandardCharsets.UTF_8), false).rejected()).isZero();
    }

    private JsonNode logRecordNamed(String eventName) throws Exception {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream(CAPTURE), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                for (JsonNode rl : JSON.readTree(line).path("body").path("resourceLogs")) {
                    for (JsonNode sl : rl.path("scopeLogs")) {
                        for (JsonNode record : sl.path("logRecords")) {
                            for (JsonNode kv : record.path("attributes")) {
                                if (kv.path("key").asString().equals("event.name")
                                        && kv.path("value").path("stringValue").asString().equals(eventName)) {
                                    return record;
                                }
                            }
                        }
                    }
                }
            }
        }
        throw new AssertionError("no " + eventName + " in the capture");
    }

    private static JsonNode details(Event e) {
        assertThat(e).isNotNull();
        return JSON.readTree(e.detailsJson() == null ? "{}" : e.detailsJson());
    }
}
