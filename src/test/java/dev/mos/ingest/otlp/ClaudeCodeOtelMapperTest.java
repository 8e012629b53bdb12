package dev.mos.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;

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
    private final OtlpReceiver otlp = new OtlpReceiver(new OtlpJsonDecoder(JSON), new OtlpProtoDecoder(),
            new ClaudeCodeOtelMapper(Redactor.defaults(), links), pipeline);

    @AfterEach
    void close() {
        store.close();
        live.close();
    }

    private void replay(boolean withHooks, boolean withOtlp) throws Exception {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("/claude-code-2.1.332-capture.jsonl"), StandardCharsets.UTF_8))) {
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
                            assertThat(otlp.metrics(body, false).accepted()).isPositive();
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

    private static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }
}
