package dev.mos.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.model.ActivityTree;
import dev.mos.model.Event;
import dev.mos.model.EventStatus;
import dev.mos.model.EventType;
import dev.mos.model.OperationNode;
import dev.mos.model.TreeBuilder;
import dev.mos.query.EventJson;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Operation → span: deterministic ids, parents, times, status and the GenAI / mos.* attributes. */
class OperationSpansTest {

    private static final String SESSION = "sess-1";
    private final EventJson json = new EventJson(JsonMapper.builder().build());
    private final OperationSpans spans = new OperationSpans(
            OperationSpans.resource("mos-test", "9.9.9", "instance-a"), "9.9.9", json::extra);
    private final List<Event> events = new ArrayList<>();

    private void add(EventType type, EventStatus status, long t, Long duration, String parent, String corr,
            String name, String details) {
        long id = events.size() + 1;
        events.add(new Event(id, SESSION, id, type, status, t, duration, parent, corr, name, null, details, null));
    }

    private ActivityTree session() {
        add(EventType.TASK_STARTED, EventStatus.STARTED, 1_000, null, null, "task-1", "Fix the build",
                "{\"project\":\"/home/dev/app\"}");
        add(EventType.TOOL_PRE_CALL, EventStatus.STARTED, 1_100, null, "task-1", "toolu_1", "Bash", null);
        add(EventType.TOOL_ERROR, EventStatus.ERROR, 1_300, null, null, "toolu_1", "Bash",
                "{\"error\":\"exit status 1\",\"tool_use_id\":\"toolu_1\"}");
        add(EventType.LLM_RESPONSE, EventStatus.SUCCESS, 1_500, 200L, "task-1", "llm:req_1", "claude-sonnet-4-5",
                "{\"model\":\"claude-sonnet-4-5\",\"input_tokens\":10,\"output_tokens\":\"5\","
                        + "\"cache_read_tokens\":3,\"cache_creation_tokens\":2,\"cost_usd\":0.0125}");
        add(EventType.MCP_REQUEST, EventStatus.STARTED, 1_600, null, "task-1", "m1", "mcp__github__search", null);
        add(EventType.MCP_RESPONSE, EventStatus.SUCCESS, 1_650, null, null, "m1", "mcp__github__search", null);
        add(EventType.SUBAGENT_SPAWN, EventStatus.STARTED, 1_700, null, "task-1", "agent-1", "Explore",
                "{\"subagent_type\":\"Explore\"}");
        add(EventType.TOOL_PRE_CALL, EventStatus.STARTED, 1_750, null, "agent-1", "toolu_2", "Read", null);
        add(EventType.TOOL_POST_CALL, EventStatus.SUCCESS, 1_800, null, null, "toolu_2", "Read", null);
        add(EventType.SUBAGENT_COMPLETE, EventStatus.SUCCESS, 1_900, null, null, "agent-1", "Explore", null);
        add(EventType.TASK_COMPLETE, EventStatus.SUCCESS, 2_000, null, null, "task-1", "Fix the build", null);
        return TreeBuilder.build(SESSION, events, 0);
    }

    private static OperationNode find(OperationNode n, String id) {
        if (n.id().equals(id)) {
            return n;
        }
        for (OperationNode c : n.children()) {
            OperationNode f = find(c, id);
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    @Test
    void nestedOperationsShareTheTraceOfTheirTopLevelOperation() {
        OperationNode task = session().roots().getFirst();
        OperationNode agent = find(task, "agent-1");
        OperationNode read = find(task, "toolu_2");

        OperationSpanData root = spans.span(SESSION, "/p", task, null, task);
        OperationSpanData agentSpan = spans.span(SESSION, "/p", agent, task, task);
        OperationSpanData readSpan = spans.span(SESSION, "/p", read, agent, task);

        assertThat(root.getParentSpanContext().isValid()).isFalse();
        assertThat(agentSpan.getTraceId()).isEqualTo(root.getTraceId()).hasSize(32);
        assertThat(readSpan.getTraceId()).isEqualTo(root.getTraceId());
        assertThat(agentSpan.getParentSpanId()).isEqualTo(root.getSpanId());
        assertThat(readSpan.getParentSpanId()).isEqualTo(agentSpan.getSpanId());
        assertThat(readSpan.getSpanId()).hasSize(16).isEqualTo(SpanIds.spanId(SESSION, "toolu_2"));
        // deterministic: the same operation mapped again (a restart, another replica) gets the same ids
        assertThat(spans.span(SESSION, "/p", read, agent, task).getSpanContext())
                .isEqualTo(readSpan.getSpanContext());
        // another session's operation with the same id is another span
        assertThat(SpanIds.spanId("sess-2", "toolu_2")).isNotEqualTo(readSpan.getSpanId());

        assertThat(root.getName()).isEqualTo("Fix the build");
        assertThat(root.getStartEpochNanos()).isEqualTo(1_000_000_000L);
        assertThat(root.getEndEpochNanos()).isEqualTo(2_000_000_000L);
        assertThat(root.getAttributes().get(AttributeKey.stringKey("mos.project"))).isEqualTo("/home/dev/app");
        assertThat(root.getAttributes().get(AttributeKey.stringKey("gen_ai.conversation.id"))).isEqualTo(SESSION);
        assertThat(root.getAttributes().get(AttributeKey.stringKey("session.id"))).isEqualTo(SESSION);
        assertThat(root.getAttributes().get(AttributeKey.stringKey("mos.kind"))).isEqualTo("task");
        assertThat(root.getResource().getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("mos-test");
        assertThat(root.getResource().getAttribute(AttributeKey.stringKey("service.instance.id")))
                .isEqualTo("instance-a");

        assertThat(agentSpan.getName()).isEqualTo("invoke_agent Explore");
        assertThat(agentSpan.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name")))
                .isEqualTo("invoke_agent");
        assertThat(agentSpan.getAttributes().get(AttributeKey.stringKey("gen_ai.agent.name"))).isEqualTo("Explore");
        assertThat(readSpan.getAttributes().get(AttributeKey.stringKey("mos.parent_operation.id")))
                .isEqualTo("agent-1");
    }

    @Test
    void llmCallCarriesModelProviderTokensAndCost() {
        OperationNode task = session().roots().getFirst();
        OperationSpanData llm = spans.span(SESSION, null, find(task, "llm:req_1"), task, task);

        assertThat(llm.getName()).isEqualTo("chat claude-sonnet-4-5");
        assertThat(llm.getKind()).isEqualTo(SpanKind.CLIENT);
        var a = llm.getAttributes();
        assertThat(a.get(AttributeKey.stringKey("gen_ai.operation.name"))).isEqualTo("chat");
        assertThat(a.get(AttributeKey.stringKey("gen_ai.provider.name"))).isEqualTo("anthropic");
        assertThat(a.get(AttributeKey.stringKey("gen_ai.system"))).isEqualTo("anthropic");
        assertThat(a.get(AttributeKey.stringKey("gen_ai.request.model"))).isEqualTo("claude-sonnet-4-5");
        assertThat(a.get(AttributeKey.stringKey("gen_ai.response.model"))).isEqualTo("claude-sonnet-4-5");
        assertThat(a.get(AttributeKey.longKey("gen_ai.usage.input_tokens"))).isEqualTo(10L);
        assertThat(a.get(AttributeKey.longKey("gen_ai.usage.output_tokens"))).isEqualTo(5L);
        assertThat(a.get(AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens"))).isEqualTo(3L);
        assertThat(a.get(AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens"))).isEqualTo(2L);
        assertThat(a.get(AttributeKey.doubleKey("mos.cost_usd"))).isEqualTo(0.0125);
        // an end-only report: the start follows from its duration
        assertThat(llm.getStartEpochNanos()).isEqualTo(1_300_000_000L);
        assertThat(llm.getEndEpochNanos()).isEqualTo(1_500_000_000L);
        assertThat(llm.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }

    @Test
    void failedToolIsAnErrorWithItsMessageAndMcpCallsFollowTheMcpConventions() {
        OperationNode task = session().roots().getFirst();
        OperationSpanData bash = spans.span(SESSION, null, find(task, "toolu_1"), task, task);
        OperationSpanData mcp = spans.span(SESSION, null, find(task, "m1"), task, task);

        assertThat(bash.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(bash.getStatus().getDescription()).isEqualTo("exit status 1");
        assertThat(bash.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("_OTHER");
        assertThat(bash.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name")))
                .isEqualTo("execute_tool");
        assertThat(bash.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.name"))).isEqualTo("Bash");
        assertThat(bash.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.call.id"))).isEqualTo("toolu_1");
        assertThat(bash.getAttributes().get(AttributeKey.stringKey("mos.status"))).isEqualTo("error");
        assertThat(bash.getEndEpochNanos() - bash.getStartEpochNanos()).isEqualTo(200_000_000L);

        assertThat(mcp.getName()).isEqualTo("tools/call search");
        assertThat(mcp.getAttributes().get(AttributeKey.stringKey("mcp.method.name"))).isEqualTo("tools/call");
        assertThat(mcp.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.name"))).isEqualTo("search");
        assertThat(mcp.getAttributes().get(AttributeKey.stringKey("mos.mcp.server"))).isEqualTo("github");
        assertThat(mcp.getAttributes().get(AttributeKey.stringKey("mos.name"))).isEqualTo("mcp__github__search");
    }
}
