package dev.mos.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.ingest.privacy.Redactor;
import dev.mos.model.EventStatus;
import dev.mos.model.EventType;
import dev.mos.model.NewEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Spans that are not Claude Code's: MOS-exported ones keep their operation ids; other GenAI spans nest by span. */
class GenAiSpanMapperTest {

    private final GenAiSpanMapper mapper = new GenAiSpanMapper(new OtlpAttributes(Redactor.defaults()),
            new OtlpEvents(JsonMapper.builder().build(), null), "me");

    private static OtlpSpan span(String id, String parent, String name, boolean error, String message,
            Map<String, Object> attributes) {
        return new OtlpSpan("0af7651916cd43dd8448eb211c80319c", id, parent, name, 1_000_000_000L, 1_250_000_000L,
                error, message, attributes);
    }

    @Test
    void claudeCodeSpansStayWithTheirMapper() {
        assertThat(GenAiSpanMapper.handles(span("a1", null, "claude_code.llm_request", false, null,
                Map.of("session.id", "s", "gen_ai.operation.name", "chat")))).isFalse();
        assertThat(GenAiSpanMapper.handles(span("a1", null, "interaction", false, null,
                Map.of("session.id", "s", "span.type", "interaction")))).isFalse();
        // no conversation: nothing to attach it to
        assertThat(GenAiSpanMapper.handles(span("a1", null, "chat gpt", false, null,
                Map.of("gen_ai.operation.name", "chat")))).isFalse();
        assertThat(GenAiSpanMapper.handles(span("a1", null, "chat gpt", false, null,
                Map.of("gen_ai.operation.name", "chat", "session.id", "s")))).isTrue();
    }

    @Test
    void aMosSpanKeepsItsOperationAndIsMarkedRelayed() {
        NewEvent e = mapper.map(List.of(span("b2", "a1", "chat claude-x", false, null, Map.of(
                "gen_ai.conversation.id", "sess", "mos.operation.id", "llm:r1", "mos.parent_operation.id", "task-1",
                "mos.kind", "llm", "mos.name", "claude-x", "gen_ai.usage.input_tokens", 12L,
                "gen_ai.response.model", "claude-x", "mos.cost_usd", 0.5, "service.instance.id", "other")))).events()
                .getFirst();
        assertThat(e.sessionId()).isEqualTo("sess");
        assertThat(e.type()).isEqualTo(EventType.LLM_RESPONSE);
        assertThat(e.correlationId()).isEqualTo("llm:r1");
        assertThat(e.parentId()).isEqualTo("task-1");
        assertThat(e.name()).isEqualTo("claude-x");
        assertThat(e.timestamp()).isEqualTo(1_250);
        assertThat(e.durationMs()).isEqualTo(250);
        assertThat(e.detailsJson()).contains("\"input_tokens\":12", "\"cost_usd\":0.5", "\"model\":\"claude-x\"",
                "\"mos_relayed\":true");
    }

    @Test
    void ownSpansComingBackAreIgnored() {
        assertThat(mapper.map(List.of(span("b2", null, "x", false, null, Map.of("session.id", "s",
                "mos.operation.id", "t", "service.instance.id", "me")))).events()).isEmpty();
    }

    @Test
    void aGenAiSpanFromAnotherToolBecomesAnOperationNestedBySpan() {
        GenAiSpanMapper.Result r = mapper.map(List.of(
                span("c3", "b2", "execute_tool search", true, "HTTP 500", Map.of("session.id", "conv-9",
                        "gen_ai.operation.name", "execute_tool", "gen_ai.tool.name", "search",
                        "mcp.method.name", "tools/call")),
                span("b2", null, "invoke_agent planner", false, null, Map.of("gen_ai.conversation.id", "conv-9",
                        "gen_ai.operation.name", "invoke_agent", "gen_ai.agent.name", "planner"))));
        assertThat(r.rejected()).isZero();
        NewEvent tool = r.events().get(0);
        NewEvent agent = r.events().get(1);
        assertThat(tool.type()).isEqualTo(EventType.MCP_ERROR);
        assertThat(tool.status()).isEqualTo(EventStatus.ERROR);
        assertThat(tool.name()).isEqualTo("search");
        assertThat(tool.correlationId()).isEqualTo("span:c3");
        assertThat(tool.parentId()).isEqualTo("span:b2");
        assertThat(tool.detailsJson()).contains("\"error\":\"HTTP 500\"").doesNotContain("mos_relayed");
        assertThat(agent.type()).isEqualTo(EventType.SUBAGENT_COMPLETE);
        assertThat(agent.name()).isEqualTo("planner");
        assertThat(agent.parentId()).isNull();
    }
}
