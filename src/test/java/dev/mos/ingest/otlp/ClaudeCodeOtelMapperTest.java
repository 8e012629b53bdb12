package dev.mos.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mos.MutableClock;
import dev.mos.health.IngestCounters;
import dev.mos.ingest.EventDecoder;
import dev.mos.ingest.IngestPipeline;
import dev.mos.ingest.hooks.AgentLinks;
import dev.mos.ingest.privacy.CapturePolicy;
import dev.mos.ingest.hooks.HookEventMapper;
import dev.mos.ingest.hooks.HookReceiver;
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
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Replays the real capture's OTLP JSON (alone, and interleaved with its hooks) and a protobuf request. */
class ClaudeCodeOtelMapperTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SUBAGENT_SESSION = "0f25bb1d-e961-4969-9630-734170d89353";
    private static final String FAILING_SESSION = "55ad8187-3cf1-45e6-95a8-bc90f3ac46ef";

    private final MutableClock clock = new MutableClock(1_795_618_590_000L);
    private final MemorySessionStore store = new MemorySessionStore(new StoreLimits(10_000, 64L << 20), clock);
    private final LiveFeed live = new LiveFeed();
    private final IngestPipeline pipeline = new IngestPipeline(new EventDecoder(JSON, clock), store, live,
            new IngestCounters(new SimpleMeterRegistry()));
    private final AgentLinks links = new AgentLinks();
    private final HookReceiver hooks = new HookReceiver(
            new HookEventMapper(JSON, CapturePolicy.defaults(), links), pipeline);
    private final OtlpAttributes attributes = new OtlpAttributes(Redactor.defaults());
    private final OtlpEvents otlpEvents = new OtlpEvents(JSON, dev.mos.model.CodingAgent.CLAUDE_CODE);
    private final OtlpJoins joins = new OtlpJoins();
    private final CodexThreads codexThreads = new CodexThreads();
    private final OtlpReceiver otlp = new OtlpReceiver(new OtlpJsonDecoder(JSON), new OtlpProtoDecoder(),
            new ClaudeCodeOtelMapper(attributes, otlpEvents, links, joins),
            new GeminiCliOtelMapper(attributes, new OtlpEvents(JSON, dev.mos.model.CodingAgent.GEMINI_CLI),
                    new GeminiCliJoins(), JSON),
            new CodexOtelMapper(attributes, new OtlpEvents(JSON, dev.mos.model.CodingAgent.CODEX), JSON, codexThreads),
            new ClaudeCodeMetricMapper(attributes, otlpEvents, joins),
            new ClaudeCodeSpanMapper(attributes, otlpEvents, links, joins),
            new GenAiSpanMapper(attributes, otlpEvents, "test-instance"),
            new CodexSpanMapper(otlpEvents, codexThreads), new CodexNotify(otlpEvents, codexThreads, clock), pipeline,
            clock);

    @AfterEach
    void close() {
        store.close();
        live.close();
    }

    private void replay(boolean withHooks, boolean withOtlp) throws Exception {
        replay("/claude-code-2.1.332-capture.jsonl", withHooks, withOtlp, withOtlp);
    }

    private void replay(String capture, boolean withHooks, boolean withOtlp, boolean withTraces) throws Exception {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream(capture), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                Map<?, ?> record = JSON.readValue(line, Map.class);
                byte[] body = ((String) record.get("body")).getBytes(StandardCharsets.UTF_8);
                switch ((String) record.get("path")) {
                    case "/hooks" -> {
                        if (withHooks) {
                            hooks.accept(JSON.readValue(body, Map.class), "hooks");
                        }
                    }
                    case "/v1/logs" -> {
                        if (withOtlp) {
                            OtlpReceiver.Outcome outcome = otlp.logs(body, false);
                            assertThat(outcome.rejected()).isZero();
                        }
                    }
                    case "/v1/metrics" -> {
                        if (withOtlp) {
                            OtlpReceiver.Outcome outcome = otlp.metrics(body, false);
                            assertThat(outcome.accepted()).isPositive();
                            assertThat(outcome.rejected()).isZero();
                        }
                    }
                    case "/v1/traces" -> {
                        if (withTraces) {
                            OtlpReceiver.Outcome outcome = otlp.traces(body, false);
                            assertThat(outcome.accepted()).isPositive();
                            assertThat(outcome.rejected()).isZero();
                        }
                    }
                    default -> { }
                }
                clock.advance(5);
            }
        }
    }

    private ActivityTree tree(String session) {
        return TreeBuilder.build(session, store.events(session), 0);
    }

    private static OperationNode task(ActivityTree tree) {
        return tree.roots().stream().filter(n -> n.id().startsWith("prompt:")).findFirst().orElseThrow();
    }

    private static List<OperationNode> ofKind(OperationNode node, OperationKind kind) {
        List<OperationNode> out = new ArrayList<>();
        if (node.kind() == kind) {
            out.add(node);
        }
        node.children().forEach(c -> out.addAll(ofKind(c, kind)));
        return out;
    }

    @Test
    void hooksAndOtlpTogetherGiveOneTreeWithLlmCallsAndNoDuplicateTools() throws Exception {
        replay(true, true);
        OperationNode task = task(tree(SUBAGENT_SESSION));
        assertThat(ofKind(task, OperationKind.TOOL)).extracting(OperationNode::id)
                .containsExactly("toolu_sim_2_0", "toolu_sim_3_0");
        OperationNode agent = ofKind(task, OperationKind.SUBAGENT).getFirst();
        assertThat(ofKind(task, OperationKind.SUBAGENT)).hasSize(1);
        // the subagent's own model calls nest under it, the main loop's under the task
        List<OperationNode> llm = ofKind(task, OperationKind.LLM);
        assertThat(llm).isNotEmpty().allSatisfy(n -> {
            assertThat(n.status()).isEqualTo(OperationStatus.SUCCESS);
            assertThat(n.name()).isEqualTo("claude-opus-5-5");
            assertThat(n.end().detailsJson()).contains("\"input_tokens\":120", "\"cost_usd\":0.00108");
        });
        assertThat(ofKind(agent, OperationKind.LLM)).isNotEmpty();
        assertThat(task.children()).filteredOn(n -> n.kind() == OperationKind.LLM).isNotEmpty();
        // the hook's end is kept; OTLP's tool_result is recorded on the same node
        OperationNode bash = ofKind(task, OperationKind.TOOL).getFirst();
        assertThat(bash.durationMs()).isEqualTo(23L);
        assertThat(bash.progress()).anySatisfy(p -> assertThat(p.detailsJson()).contains("\"source\":\"otel\""));
    }

    @Test
    void otlpAloneGivesToolsWithDurationsAndFailures() throws Exception {
        replay(false, true);
        OperationNode task = task(tree(FAILING_SESSION));
        OperationNode bash = ofKind(task, OperationKind.TOOL).getFirst();
        assertThat(bash.status()).isEqualTo(OperationStatus.ERROR);
        assertThat(bash.durationMs()).isEqualTo(21L);
        assertThat(ofKind(task, OperationKind.LLM)).isNotEmpty();
    }

    @Test
    void protobufLogsAreDecodedLikeJson() {
        LogRecord record = LogRecord.newBuilder().setTimeUnixNano(1_795_618_593_713_000_000L)
                .setBody(AnyValue.newBuilder().setStringValue("claude_code.api_request"))
                .addAttributes(kv("event.name", "api_request")).addAttributes(kv("session.id", "sp"))
                .addAttributes(kv("prompt.id", "p1")).addAttributes(kv("model", "claude-test"))
                .addAttributes(KeyValue.newBuilder().setKey("input_tokens")
                        .setValue(AnyValue.newBuilder().setIntValue(42)))
                .addAttributes(KeyValue.newBuilder().setKey("duration_ms")
                        .setValue(AnyValue.newBuilder().setIntValue(250)))
                .addAttributes(kv("request_id", "req_1")).build();
        LogRecord orphan = LogRecord.newBuilder().addAttributes(kv("event.name", "api_request")).build();
        byte[] body = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(record).addLogRecords(orphan))).build()
                .toByteArray();

        OtlpReceiver.Outcome outcome = otlp.logs(body, true);

        assertThat(outcome.accepted()).isEqualTo(1);
        assertThat(outcome.rejected()).isEqualTo(1);
        assertThat(outcome.errorMessage()).contains("session.id");
        OperationNode llm = tree("sp").roots().getFirst();
        assertThat(llm.kind()).isEqualTo(OperationKind.LLM);
        assertThat(llm.durationMs()).isEqualTo(250L);
        assertThat(llm.end().detailsJson()).contains("\"input_tokens\":42");
    }

    private static final String TRACE_CAPTURE = "/claude-code-2.1.332-traces-capture.jsonl";
    private static final String TRACE_SESSION = "d96439ec-f47c-45d9-90d6-a9501dd89731";

    private static List<OperationNode> all(ActivityTree tree) {
        List<OperationNode> out = new ArrayList<>();
        for (OperationNode root : tree.roots()) {
            collect(root, out);
        }
        return out;
    }

    private static void collect(OperationNode node, List<OperationNode> out) {
        out.add(node);
        node.children().forEach(c -> collect(c, out));
    }

    private static String shape(OperationNode node) {
        return node.kind().wireName() + ":" + node.name() + ":" + node.status().name().toLowerCase();
    }

    @Test
    void otlpLogsAloneCloseTheTaskAndNestTheSubagentsWork() throws Exception {
        replay(false, true);
        ActivityTree tree = tree(SUBAGENT_SESSION);
        OperationNode task = task(tree);
        // closed by the main loop's assistant_response, not left running
        assertThat(task.status()).isEqualTo(OperationStatus.SUCCESS);
        assertThat(tree.runningCount()).isZero();
        assertThat(task.children()).filteredOn(n -> n.kind() != OperationKind.LLM).extracting(
                ClaudeCodeOtelMapperTest::shape).containsExactly("subagent:Agent:success");
        OperationNode agent = task.children().stream().filter(n -> n.kind() == OperationKind.SUBAGENT)
                .findFirst().orElseThrow();
        assertThat(agent.id()).isEqualTo("toolu_sim_1_0");
        assertThat(agent.children()).filteredOn(n -> n.kind() == OperationKind.TOOL).extracting(OperationNode::id)
                .containsExactly("toolu_sim_2_0", "toolu_sim_3_0");
        assertThat(ofKind(agent, OperationKind.LLM)).hasSize(3);
        assertThat(task.children()).filteredOn(n -> n.kind() == OperationKind.LLM).hasSize(2);
        // tool_decision opened the tool node, tool_result closed it with Claude Code's duration
        OperationNode slow = agent.children().stream().filter(n -> n.id().equals("toolu_sim_3_0")).findFirst()
                .orElseThrow();
        assertThat(slow.start().detailsJson()).contains("\"decision\":\"accept\"");
        assertThat(slow.durationMs()).isEqualTo(808L);
        // no tool_decision point left on the task itself
        assertThat(task.progress()).noneSatisfy(p -> assertThat(p.name()).isEqualTo("tool_decision"));
        assertThat(all(tree)).extracting(OperationNode::id).doesNotHaveDuplicates();
    }

    @Test
    void hooksAndOtlpLogsRecordTheDecisionOnTheHooksToolNode() throws Exception {
        replay(true, true);
        OperationNode task = task(tree(SUBAGENT_SESSION));
        OperationNode bash = ofKind(task, OperationKind.TOOL).getFirst();
        assertThat(bash.start().detailsJson()).doesNotContain("\"source\":\"otel\"");
        assertThat(bash.progress()).anySatisfy(p -> assertThat(p.detailsJson()).contains("\"decision\":\"accept\""));
        assertThat(task.status()).isEqualTo(OperationStatus.SUCCESS);
    }

    @Test
    void apiErrorFailsItsLlmOperationAndANewPromptClosesTheOpenOne() throws Exception {
        LogRecord prompt1 = LogRecord.newBuilder().setTimeUnixNano(1_000_000_000_000L * 1_000_000L)
                .addAttributes(kv("event.name", "user_prompt")).addAttributes(kv("session.id", "se"))
                .addAttributes(kv("prompt.id", "p1")).build();
        LogRecord error = LogRecord.newBuilder().setTimeUnixNano(1_000_000_002_000L * 1_000_000L)
                .addAttributes(kv("event.name", "api_error")).addAttributes(kv("session.id", "se"))
                .addAttributes(kv("prompt.id", "p1")).addAttributes(kv("model", "claude-test"))
                .addAttributes(kv("error", "Overloaded")).addAttributes(kv("status_code", "529"))
                .addAttributes(kv("duration_ms", "1500")).addAttributes(kv("request_id", "req_e")).build();
        LogRecord prompt2 = LogRecord.newBuilder().setTimeUnixNano(1_000_000_010_000L * 1_000_000L)
                .addAttributes(kv("event.name", "user_prompt")).addAttributes(kv("session.id", "se"))
                .addAttributes(kv("prompt.id", "p2")).build();
        byte[] body = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(prompt1).addLogRecords(error)
                        .addLogRecords(prompt2))).build().toByteArray();

        assertThat(otlp.logs(body, true).rejected()).isZero();

        ActivityTree tree = tree("se");
        OperationNode first = tree.roots().stream().filter(n -> n.id().equals("prompt:p1")).findFirst().orElseThrow();
        assertThat(first.status()).isEqualTo(OperationStatus.SUCCESS);
        // closed at its last activity (the failed request), not when the next prompt came
        assertThat(first.endMs()).isEqualTo(1_000_000_002_000L);
        OperationNode llm = first.children().getFirst();
        assertThat(llm.kind()).isEqualTo(OperationKind.LLM);
        assertThat(llm.status()).isEqualTo(OperationStatus.ERROR);
        assertThat(llm.durationMs()).isEqualTo(1500L);
        assertThat(llm.end().detailsJson()).contains("Overloaded");
        OperationNode second = tree.roots().stream().filter(n -> n.id().equals("prompt:p2")).findFirst()
                .orElseThrow();
        assertThat(second.status()).isEqualTo(OperationStatus.RUNNING);
    }

    private List<Map<String, Object>> metricEvents(String session) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (var e : store.events(session)) {
            if (e.detailsJson() != null && e.detailsJson().contains("\"source\":\"otel_metric\"")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> d = JSON.readValue(e.detailsJson(), Map.class);
                assertThat(e.type().wireName()).isEqualTo("task_progress");
                assertThat(e.status().wireName()).isEqualTo("success");
                out.add(d);
            }
        }
        return out;
    }

    private static double sum(List<Map<String, Object>> points, String metric, String type) {
        return points.stream().filter(p -> metric.equals(p.get("metric")))
                .filter(p -> type == null || type.equals(p.get("type")))
                .mapToDouble(p -> ((Number) p.get("value")).doubleValue()).sum();
    }

    @Test
    void metricPointsBecomeTimelineEventsWhoseSumsMatchTheLoggedRequests() throws Exception {
        replay(false, true);
        List<Map<String, Object>> points = metricEvents(SUBAGENT_SESSION);
        assertThat(points).isNotEmpty().allSatisfy(p -> {
            assertThat(p).containsKeys("metric", "value", "source");
            assertThat(p.get("source")).isEqualTo("otel_metric");
        });
        assertThat(points).anySatisfy(p -> {
            assertThat(p.get("metric")).isEqualTo("claude_code.token.usage");
            assertThat(p.get("type")).isEqualTo("input");
            assertThat(p.get("model")).isEqualTo("claude-opus-5-5");
            assertThat(p.get("unit")).isEqualTo("tokens");
        });
        // the same session's api_request logs: 5 requests of 120 in / 30 out tokens at $0.00108
        assertThat(sum(points, "claude_code.token.usage", "input")).isEqualTo(600.0);
        assertThat(sum(points, "claude_code.token.usage", "output")).isEqualTo(150.0);
        assertThat(sum(points, "claude_code.cost.usage", null)).isCloseTo(0.0054, within(1e-9));
        // metrics never make LLM operations: still exactly one per logged request
        assertThat(all(tree(SUBAGENT_SESSION))).filteredOn(n -> n.kind() == OperationKind.LLM).hasSize(5);
    }

    @Test
    void cumulativeSeriesAreRecordedAsDeltasAndARestartResets() {
        long start = 1_795_618_000_000_000_000L;
        NumberDataPoint.Builder p = NumberDataPoint.newBuilder().setStartTimeUnixNano(start)
                .addAttributes(kv("session.id", "sc")).addAttributes(kv("model", "m")).addAttributes(kv("type",
                        "input"));
        send(cumulative(p.clone().setTimeUnixNano(start + 1_000_000_000L).setAsDouble(10)));
        send(cumulative(p.clone().setTimeUnixNano(start + 2_000_000_000L).setAsDouble(25)));
        send(cumulative(p.clone().setTimeUnixNano(start + 3_000_000_000L).setAsDouble(25)));
        // the exporter restarted: new start time, counting from zero
        send(cumulative(p.clone().setStartTimeUnixNano(start + 4_000_000_000L)
                .setTimeUnixNano(start + 5_000_000_000L).setAsDouble(7)));
        // another series (output) of the same metric is kept apart
        send(cumulative(p.clone().clearAttributes().addAttributes(kv("session.id", "sc"))
                .addAttributes(kv("type", "output")).setTimeUnixNano(start + 5_000_000_000L).setAsDouble(3)));

        List<Map<String, Object>> points = metricEvents("sc");
        assertThat(points).extracting(d -> d.get("type") + "=" + d.get("value"))
                .containsExactly("input=10", "input=15", "input=7", "output=3");
        assertThat(points).allSatisfy(d -> assertThat(d.get("temporality")).isEqualTo("cumulative"));
    }

    private void send(Metric metric) {
        byte[] body = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(metric))).build().toByteArray();
        assertThat(otlp.metrics(body, true).rejected()).isZero();
    }

    private static Metric cumulative(NumberDataPoint.Builder point) {
        return Metric.newBuilder().setName("claude_code.token.usage").setUnit("tokens").setSum(Sum.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .setIsMonotonic(true).addDataPoints(point)).build();
    }

    @Test
    void traceSpansAloneGiveTheWholeNestedTree() throws Exception {
        replay(TRACE_CAPTURE, false, false, true);
        ActivityTree tree = tree(TRACE_SESSION);
        assertThat(tree.roots()).hasSize(1);
        OperationNode task = tree.roots().getFirst();
        assertThat(task.kind()).isEqualTo(OperationKind.TASK);
        assertThat(task.id()).startsWith("trace:");
        assertThat(task.status()).isEqualTo(OperationStatus.SUCCESS);
        assertThat(task.children()).filteredOn(n -> n.kind() != OperationKind.LLM)
                .extracting(ClaudeCodeOtelMapperTest::shape)
                .containsExactly("tool:Bash:success", "tool:Bash:error", "subagent:Agent:success");
        assertThat(task.children()).filteredOn(n -> n.kind() == OperationKind.LLM).hasSize(4)
                .allSatisfy(n -> assertThat(n.end().detailsJson()).contains("\"input_tokens\":120"));
        OperationNode agent = ofKind(task, OperationKind.SUBAGENT).getFirst();
        assertThat(agent.children()).extracting(ClaudeCodeOtelMapperTest::shape)
                .contains("tool:Bash:success").filteredOn(s -> s.startsWith("llm:")).hasSize(2);
        OperationNode failed = task.children().stream().filter(n -> n.status() == OperationStatus.ERROR)
                .findFirst().orElseThrow();
        assertThat(failed.end().detailsJson()).contains("ShellError");
        assertThat(all(tree)).extracting(OperationNode::id).doesNotHaveDuplicates();
    }

    @Test
    void traceSpansAndLogsTogetherGiveOneTreeUnderThePromptsTask() throws Exception {
        replay(TRACE_CAPTURE, false, true, true);
        ActivityTree tree = tree(TRACE_SESSION);
        List<OperationNode> tasks = tree.roots().stream().filter(n -> n.kind() == OperationKind.TASK
                && !n.id().equals("otel_metrics")).toList();
        assertThat(tasks).hasSize(1);
        OperationNode task = tasks.getFirst();
        assertThat(task.id()).startsWith("prompt:");
        assertThat(task.children()).filteredOn(n -> n.kind() != OperationKind.LLM)
                .extracting(ClaudeCodeOtelMapperTest::shape)
                .containsExactly("tool:Bash:success", "tool:Bash:error", "subagent:Agent:success");
        assertThat(all(tree)).filteredOn(n -> n.kind() == OperationKind.LLM).hasSize(6);
        OperationNode agent = ofKind(task, OperationKind.SUBAGENT).getFirst();
        assertThat(agent.children()).filteredOn(n -> n.kind() == OperationKind.LLM).hasSize(2);
        assertThat(agent.children()).filteredOn(n -> n.kind() == OperationKind.TOOL).hasSize(1);
        assertThat(all(tree)).extracting(OperationNode::id).doesNotHaveDuplicates();
        assertThat(tree.runningCount()).isZero();
    }

    private static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }
}
