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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Replays what real Gemini CLI 0.61.0 sent (logs, metrics and traces of one {@code gemini -p} run: a shell command,
 * a refused read_file, a shell command exiting 3, an MCP call to MOS and a codebase_investigator subagent) and
 * checks the tree it gives.
 */
class GeminiCliOtelMapperTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String CAPTURE = "/dev/mos/agents/gemini-cli-0.61.0-capture.jsonl";
    /** The same run with {@code telemetry.logPrompts: false} (its log requests only). */
    private static final String NO_PROMPTS_CAPTURE = "/dev/mos/agents/gemini-cli-0.61.0-no-log-prompts-capture.jsonl";

    private final MutableClock clock = new MutableClock(1_796_635_600_000L);
    private final MemorySessionStore store = new MemorySessionStore(new StoreLimits(10_000, 64L << 20), clock);
    private final LiveFeed live = new LiveFeed();
    private final IngestPipeline pipeline = new IngestPipeline(new EventDecoder(JSON, clock), store, live,
            new IngestCounters(new SimpleMeterRegistry()));
    private final OtlpReceiver otlp = OtlpReceiver.create(JSON, Redactor.defaults(), new AgentLinks(), "test",
            pipeline, clock);

    @AfterEach
    void close() {
        store.close();
        live.close();
    }

    /** Posts the capture's requests in the order Gemini sent them; returns the session they name. */
    private String replay() throws Exception {
        return replay(CAPTURE);
    }

    private String replay(String capture) throws Exception {
        String session = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream(capture), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode record = JSON.readTree(line);
                byte[] body = record.path("body").asString().getBytes(StandardCharsets.UTF_8);
                OtlpReceiver.Outcome outcome = switch (record.path("path").asString()) {
                    case "/v1/logs" -> otlp.logs(body, false);
                    case "/v1/metrics" -> otlp.metrics(body, false);
                    case "/v1/traces" -> otlp.traces(body, false);
                    default -> throw new AssertionError("unexpected path in capture: " + record.path("path"));
                };
                assertThat(outcome.rejected()).as("%s: %s", record.path("path"), outcome.errorMessage()).isZero();
                assertThat(outcome.accepted()).isPositive();
                if (session == null) {
                    session = JSON.readTree(body).findValues("attributes").stream()
                            .flatMap(a -> a.valueStream()).filter(kv -> kv.path("key").asString()
                                    .equals("session.id"))
                            .map(kv -> kv.path("value").path("stringValue").asString()).findFirst().orElse(null);
                }
            }
        }
        assertThat(session).isNotBlank();
        return session;
    }

    private ActivityTree tree(String session) {
        return TreeBuilder.build(session, store.events(session), 0);
    }

    private static List<OperationNode> ofKind(OperationNode node, OperationKind kind) {
        List<OperationNode> out = new ArrayList<>();
        if (node.kind() == kind) {
            out.add(node);
        }
        node.children().forEach(c -> out.addAll(ofKind(c, kind)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> details(Event e) {
        return JSON.readValue(e.detailsJson(), Map.class);
    }

    @Test
    void oneRunIsOneClosedTaskWithItsToolsMcpCallSubagentAndModelCalls() throws Exception {
        String session = replay();
        ActivityTree tree = tree(session);

        List<OperationNode> tasks = tree.roots().stream().filter(n -> n.kind() == OperationKind.TASK
                && n.id().startsWith("prompt:")).toList();
        assertThat(tasks).hasSize(1);
        OperationNode task = tasks.getFirst();
        assertThat(task.name()).isEqualTo("[[sc:go]] do it");
        assertThat(task.status()).isEqualTo(OperationStatus.SUCCESS);

        assertThat(task.children()).filteredOn(n -> n.kind() != OperationKind.LLM)
                .extracting(n -> n.kind().wireName() + ":" + n.name() + ":" + n.status().name().toLowerCase())
                .containsExactly("tool:run_shell_command:success", "tool:read_file:error",
                        "tool:run_shell_command:error", "mcp:mcp_mos_list_sessions:success",
                        "subagent:codebase_investigator:success");
        List<OperationNode> steps = task.children().stream().filter(n -> n.kind() != OperationKind.LLM).toList();

        Map<String, Object> echo = details(steps.get(0).end());
        assertThat((String) echo.get("arguments")).contains("echo hello");
        assertThat(steps.get(0).durationMs()).isNotNull().isGreaterThanOrEqualTo(0L);

        Map<String, Object> refused = details(steps.get(1).end());
        assertThat((String) refused.get("error")).startsWith("Path not in workspace");
        assertThat(refused.get("error_type")).isEqualTo("invalid_tool_params");

        Map<String, Object> exit3 = details(steps.get(2).end());
        assertThat(exit3.get("error")).isEqualTo("exit code 3");
        assertThat((String) exit3.get("arguments")).contains("exit 3");

        Map<String, Object> mcp = details(steps.get(3).end());
        assertThat(mcp.get("mcp_server")).isEqualTo("mos");
        assertThat(mcp.get("mcp_tool")).isEqualTo("list_sessions");

        OperationNode agent = steps.get(4);
        assertThat(agent.id()).startsWith("agent:");
        assertThat(agent.children()).filteredOn(n -> n.kind() == OperationKind.TOOL)
                .extracting(n -> n.name() + ":" + n.status().name().toLowerCase())
                .containsExactly("list_directory:success", "complete_task:success");
        assertThat(agent.children()).filteredOn(n -> n.kind() == OperationKind.LLM).hasSize(2)
                .allSatisfy(n -> assertThat(n.name()).isEqualTo("gemini-2.5-pro"));
        // the invoke_agent call that ran the subagent is no second operation: its arguments are on the subagent
        assertThat(agent.progress()).anySatisfy(p -> assertThat(p.detailsJson()).contains("[[sc:sub]]"));
        assertThat(ofKind(task, OperationKind.TOOL)).extracting(OperationNode::name).doesNotContain("invoke_agent");

        List<OperationNode> mainLlm = task.children().stream().filter(n -> n.kind() == OperationKind.LLM).toList();
        assertThat(mainLlm).hasSize(6).allSatisfy(n -> {
            assertThat(n.status()).isEqualTo(OperationStatus.SUCCESS);
            assertThat(n.name()).isEqualTo("gemini-2.5-flash");
            Map<String, Object> d = details(n.end());
            assertThat(d.get("input_tokens")).as("120 prompt tokens of which 30 cached").isEqualTo(90);
            assertThat(d.get("output_tokens")).isEqualTo(20);
            assertThat(d.get("cache_read_tokens")).isEqualTo(30);
            assertThat(d).doesNotContainKey("cost_usd");
            assertThat(n.start()).isNotNull();
        });
        // the task ends with the final answer, after everything in it
        long lastChildEnd = task.children().stream().mapToLong(n -> n.endMs()).max().orElseThrow();
        assertThat(task.endMs()).isGreaterThanOrEqualTo(lastChildEnd);
    }

    @Test
    void everyEventSaysItIsGeminiCliAndNothingIsMappedTwice() throws Exception {
        String session = replay();
        List<Event> events = store.events(session);
        assertThat(events).isNotEmpty().allSatisfy(e ->
                assertThat(details(e).get("agent")).as("%s", e).isEqualTo("gemini-cli"));
        // the spans (llm_call, tool_call, agent_call) repeat the logs: no node of their own
        Set<String> ids = new HashSet<>();
        tree(session).forEach(n -> assertThat(ids.add(n.id())).as("duplicate %s", n.id()).isTrue());
        assertThat(tree(session).roots()).extracting(OperationNode::id)
                .allSatisfy(id -> assertThat(id).matches("prompt:.*|otel_metrics"));
        // metric points land on the session's metrics timeline
        assertThat(events).anySatisfy(e -> assertThat(e.detailsJson()).contains("\"metric\":\"gemini_cli.token.usage\""));
    }

    @Test
    void withoutLoggedPromptsTheTreeKeepsItsShapeAndTheRunsEndClosesTheTask() throws Exception {
        String session = replay(NO_PROMPTS_CAPTURE);
        OperationNode task = tree(session).roots().stream().filter(n -> n.id().startsWith("prompt:")).findFirst()
                .orElseThrow();
        assertThat(task.name()).isEqualTo("Prompt");
        assertThat(task.status()).isEqualTo(OperationStatus.SUCCESS);
        assertThat(details(task.end()).get("closed_by")).isEqualTo("session_end");
        // Gemini leaves out the result metadata too: the shell command exiting 3 is a success then
        assertThat(task.children()).filteredOn(n -> n.kind() != OperationKind.LLM)
                .extracting(n -> n.kind().wireName() + ":" + n.name() + ":" + n.status().name().toLowerCase())
                .containsExactly("tool:run_shell_command:success", "tool:read_file:error",
                        "tool:run_shell_command:success", "mcp:mcp_mos_list_sessions:success",
                        "subagent:codebase_investigator:success");
        OperationNode agent = ofKind(task, OperationKind.SUBAGENT).getFirst();
        // the invoke_agent call names no agent id now: it is matched to the run that just finished
        assertThat(agent.progress()).anySatisfy(p -> assertThat(p.detailsJson()).contains("\"invoke_agent\""));
        assertThat(ofKind(agent, OperationKind.TOOL)).extracting(OperationNode::name)
                .containsExactly("list_directory", "complete_task");
        assertThat(ofKind(task, OperationKind.LLM)).hasSize(8);
        assertThat(store.events(session)).allSatisfy(e -> assertThat(details(e).get("agent")).isEqualTo("gemini-cli"));
    }

    @Test
    void aNewPromptClosesTheOpenOneWhenNoFinalAnswerWasLogged() throws Exception {
        String first = record("user_prompt", "p1", 1_000, Map.of("prompt", "first"));
        String tool = record("tool_call", "p1", 1_500, Map.of("function_name", "glob", "success", true,
                "duration_ms", 20, "tool_type", "native"));
        String second = record("user_prompt", "p2", 3_000, Map.of("prompt", "second"));
        for (String body : List.of(first, tool, second)) {
            assertThat(otlp.logs(body.getBytes(StandardCharsets.UTF_8), false).rejected()).isZero();
        }
        ActivityTree tree = tree("s1");
        OperationNode p1 = tree.roots().stream().filter(n -> n.id().equals("prompt:p1")).findFirst().orElseThrow();
        assertThat(p1.status()).isEqualTo(OperationStatus.SUCCESS);
        assertThat(p1.endMs()).isEqualTo(1_500L);
        assertThat(p1.children()).extracting(OperationNode::name).containsExactly("glob");
        assertThat(tree.roots()).filteredOn(n -> n.id().equals("prompt:p2"))
                .singleElement().satisfies(n -> assertThat(n.running()).isTrue());
    }

    @Test
    void failedModelCallsMcpCallsAndSubagentRunsFailWithTheirReason() throws Exception {
        List<String> bodies = List.of(
                record("user_prompt", "p1", 1_000, Map.of("prompt", "try")),
                record("api_error", "p1", 1_100, Map.of("model_name", "gemini-2.5-flash", "model",
                        "gemini-2.5-flash", "error", "Resource exhausted", "error.message", "Resource exhausted",
                        "status_code", 429, "duration_ms", 60)),
                record("tool_call", "p1", 1_300, Map.of("function_name", "mcp_srv_do_it", "success", false,
                        "duration_ms", 40, "tool_type", "mcp", "mcp_server_name", "srv", "error", "boom")),
                record("agent.start", "p1", 1_400, Map.of("agent_id", "a1", "agent_name", "generalist")),
                record("agent.finish", "p1", 1_900, Map.of("agent_id", "a1", "agent_name", "generalist",
                        "duration_ms", 500, "terminate_reason", "TIMEOUT")));
        for (String body : bodies) {
            OtlpReceiver.Outcome outcome = otlp.logs(body.getBytes(StandardCharsets.UTF_8), false);
            assertThat(outcome.rejected()).as("%s", outcome.errorMessage()).isZero();
        }
        OperationNode task = tree("s1").roots().getFirst();
        assertThat(task.children()).extracting(n -> n.kind().wireName() + ":" + n.name() + ":"
                + n.status().name().toLowerCase())
                .containsExactly("llm:gemini-2.5-flash:error", "mcp:mcp_srv_do_it:error",
                        "subagent:generalist:error");
        OperationNode llm = task.children().get(0);
        assertThat(llm.startMs()).isEqualTo(1_040L);
        assertThat(details(llm.end()).get("error")).isEqualTo("Resource exhausted");
        Map<String, Object> mcp = details(task.children().get(1).end());
        assertThat(mcp).containsEntry("mcp_server", "srv").containsEntry("mcp_tool", "do_it")
                .containsEntry("error", "boom");
        assertThat(details(task.children().get(2).end()).get("error")).isEqualTo("subagent ended: TIMEOUT");
    }

    @Test
    void aRecordWithoutSessionIsRejectedWithItsReason() {
        String body = """
                {"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"1000000","attributes":[
                {"key":"event.name","value":{"stringValue":"gemini_cli.user_prompt"}},
                {"key":"prompt_id","value":{"stringValue":"p"}}]}]}]}]}""";
        OtlpReceiver.Outcome outcome = otlp.logs(body.getBytes(StandardCharsets.UTF_8), false);
        assertThat(outcome.rejected()).isEqualTo(1);
        assertThat(outcome.errorMessage()).contains("session.id");
    }

    /** One OTLP JSON log request with one Gemini record of session s1. */
    private static String record(String event, String promptId, long ms, Map<String, Object> attributes) {
        List<Map<String, Object>> kvs = new ArrayList<>();
        kvs.add(kv("event.name", "gemini_cli." + event));
        kvs.add(kv("session.id", "s1"));
        kvs.add(kv("installation.id", "i1"));
        kvs.add(kv("prompt_id", promptId));
        attributes.forEach((k, v) -> kvs.add(kv(k, v)));
        return JSON.writeValueAsString(Map.of("resourceLogs", List.of(Map.of("scopeLogs", List.of(Map.of(
                "logRecords", List.of(Map.of("timeUnixNano", String.valueOf(ms * 1_000_000), "attributes",
                        kvs))))))));
    }

    private static Map<String, Object> kv(String key, Object value) {
        Map<String, Object> v = switch (value) {
            case Boolean b -> Map.of("boolValue", b);
            case Integer i -> Map.of("intValue", String.valueOf(i));
            default -> Map.of("stringValue", String.valueOf(value));
        };
        return Map.of("key", key, "value", v);
    }
}
