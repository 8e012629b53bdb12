package dev.mos.ingest.otlp;

import dev.mos.export.TraceExporter;
import dev.mos.ingest.EventRejectedException;
import dev.mos.model.EventStatus;
import dev.mos.model.EventType;
import dev.mos.model.NewEvent;
import dev.mos.model.OperationKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Spans that are not Claude Code's: those another MOS exported ({@code mos.*} attributes, see
 * {@code dev.mos.export.OperationSpans}) and any span in the OpenTelemetry GenAI conventions that names its
 * conversation ({@code gen_ai.conversation.id}, else {@code session.id}). Each span is one operation, reported by its
 * end event with the span's duration (the start follows from it), nested under its parent span's operation.
 *
 * <p>A MOS span keeps its operation id and parent operation id, so the receiving tree has the same ids and nesting
 * as the sender's; other spans are {@code span:<span id>}. Events made from MOS spans are marked
 * {@link TraceExporter#RELAYED_KEY} so that they are not exported again (loop guard), and spans this very process
 * exported (its own {@code service.instance.id}: MOS pointed at itself) are ignored, as the operations are here
 * already.
 */
public final class GenAiSpanMapper {

    /** What a batch of spans gave: events, and how many spans could not be taken (with the first reason). */
    public record Result(List<NewEvent> events, int rejected, String firstError) {
    }

    private final OtlpAttributes attributes;
    private final OtlpEvents events;
    private final String ownInstanceId;

    public GenAiSpanMapper(OtlpAttributes attributes, OtlpEvents events, String ownInstanceId) {
        this.attributes = attributes;
        this.events = events;
        this.ownInstanceId = ownInstanceId;
    }

    /** True for spans this mapper takes; Claude Code's own ({@code claude_code.*}) stay with its mapper. */
    public static boolean handles(OtlpSpan s) {
        if (s.name().startsWith("claude_code.") || s.attributes().containsKey("span.type")) {
            return false;
        }
        Map<String, Object> a = s.attributes();
        if (!a.containsKey("mos.operation.id") && !a.containsKey("gen_ai.operation.name")
                && !a.containsKey("gen_ai.conversation.id")) {
            return false;
        }
        return session(a) != null;
    }

    private static String session(Map<String, Object> a) {
        String s = OtlpAttributes.text(a.get("gen_ai.conversation.id"));
        if (s == null || s.isBlank()) {
            s = OtlpAttributes.text(a.get("session.id"));
        }
        return s == null || s.isBlank() ? null : s;
    }

    public Result map(List<OtlpSpan> spans) {
        List<NewEvent> out = new java.util.ArrayList<>(spans.size());
        int rejected = 0;
        String firstError = null;
        for (OtlpSpan s : spans) {
            try {
                NewEvent e = map(s);
                if (e != null) {
                    out.add(e);
                }
            } catch (EventRejectedException e) {
                rejected++;
                firstError = firstError == null ? e.getMessage() : firstError;
            }
        }
        return new Result(out, rejected, firstError);
    }

    private NewEvent map(OtlpSpan s) {
        Map<String, Object> a = s.attributes();
        String instance = OtlpAttributes.text(a.get("service.instance.id"));
        boolean fromMos = a.containsKey("mos.operation.id");
        if (fromMos && ownInstanceId.equals(instance)) {
            return null; // exported by this very process: the operation is here already
        }
        String session = session(a);
        String op = fromMos ? OtlpAttributes.text(a.get("mos.operation.id")) : "span:" + s.spanId();
        String parent = fromMos ? OtlpAttributes.text(a.get("mos.parent_operation.id"))
                : s.parentSpanId() == null ? null : "span:" + s.parentSpanId();
        OperationKind kind = kind(a);
        String name = name(s, a, kind);

        Map<String, Object> d = new LinkedHashMap<>();
        d.put("source", "otel_span");
        putText(d, "model", first(a, "gen_ai.response.model", "gen_ai.request.model"));
        putText(d, "provider", first(a, "gen_ai.provider.name", "gen_ai.system"));
        putNumber(d, "input_tokens", a.get("gen_ai.usage.input_tokens"));
        putNumber(d, "output_tokens", a.get("gen_ai.usage.output_tokens"));
        putNumber(d, "cache_read_tokens", a.get("gen_ai.usage.cache_read.input_tokens"));
        putNumber(d, "cache_creation_tokens", first(a, "gen_ai.usage.cache_creation.input_tokens",
                "gen_ai.usage.cache_write.input_tokens"));
        Double cost = OtlpAttributes.decimal(a.get("mos.cost_usd"));
        if (cost != null) {
            d.put("cost_usd", cost);
        }
        putText(d, "tool_use_id", a.get("gen_ai.tool.call.id"));
        putText(d, "mcp_server", a.get("mos.mcp.server"));
        putText(d, "mcp_method", a.get("mcp.method.name"));
        putText(d, "agent_name", a.get("gen_ai.agent.name"));
        putText(d, "project", a.get("mos.project"));
        putText(d, "service", a.get("service.name"));
        putText(d, "agent", first(a, "mos.agent", "service.name")); // the agent is what the source calls itself
        d.put("trace_id", s.traceId());
        d.put("span_id", s.spanId());
        if (fromMos) {
            d.put(TraceExporter.RELAYED_KEY, true);
            putText(d, "exported_by", instance);
        }
        boolean timeout = "timeout".equals(OtlpAttributes.text(a.get("mos.status")))
                || "timeout".equals(OtlpAttributes.text(a.get("error.type")));
        if (s.error()) {
            d.put("error", attributes.value("error", s.statusMessage() == null || s.statusMessage().isBlank()
                    ? "failed" : s.statusMessage()));
        }
        EventType type = endType(kind, s.error());
        EventStatus status = !s.error() ? EventStatus.SUCCESS : timeout ? EventStatus.TIMEOUT : EventStatus.ERROR;
        return events.event(session, type, status, s.endMs(), s.durationMs(), parent, op, name, d);
    }

    private static OperationKind kind(Map<String, Object> a) {
        String mosKind = OtlpAttributes.text(a.get("mos.kind"));
        if (mosKind != null) {
            for (OperationKind k : OperationKind.values()) {
                if (k.wireName().equals(mosKind)) {
                    return k;
                }
            }
        }
        String op = OtlpAttributes.text(a.get("gen_ai.operation.name"));
        if (op == null) {
            return OperationKind.TASK;
        }
        return switch (op.toLowerCase(Locale.ROOT)) {
            case "chat", "text_completion", "generate_content", "embeddings" -> OperationKind.LLM;
            case "execute_tool" -> a.containsKey("mcp.method.name") ? OperationKind.MCP : OperationKind.TOOL;
            case "invoke_agent", "create_agent" -> OperationKind.SUBAGENT;
            default -> OperationKind.TASK;
        };
    }

    private static String name(OtlpSpan s, Map<String, Object> a, OperationKind kind) {
        String mosName = OtlpAttributes.text(a.get("mos.name"));
        if (mosName != null && !mosName.isBlank()) {
            return mosName;
        }
        Object n = switch (kind) {
            case LLM -> first(a, "gen_ai.response.model", "gen_ai.request.model");
            case TOOL, MCP -> a.get("gen_ai.tool.name");
            case SUBAGENT -> a.get("gen_ai.agent.name");
            case TASK -> null;
        };
        String text = OtlpAttributes.text(n);
        return text != null && !text.isBlank() ? text : s.name();
    }

    private static EventType endType(OperationKind kind, boolean failed) {
        return switch (kind) {
            case TASK -> failed ? EventType.TASK_FAILED : EventType.TASK_COMPLETE;
            case TOOL -> failed ? EventType.TOOL_ERROR : EventType.TOOL_POST_CALL;
            case MCP -> failed ? EventType.MCP_ERROR : EventType.MCP_RESPONSE;
            case SUBAGENT -> failed ? EventType.SUBAGENT_FAILED : EventType.SUBAGENT_COMPLETE;
            case LLM -> failed ? EventType.LLM_ERROR : EventType.LLM_RESPONSE;
        };
    }

    private static Object first(Map<String, Object> a, String k1, String k2) {
        Object v = a.get(k1);
        return v != null ? v : a.get(k2);
    }

    private void putText(Map<String, Object> d, String key, Object v) {
        String t = OtlpAttributes.text(v);
        if (t != null && !t.isBlank()) {
            d.put(key, attributes.value(key, t));
        }
    }

    private static void putNumber(Map<String, Object> d, String key, Object v) {
        Long n = OtlpAttributes.number(v);
        if (n != null) {
            d.put(key, n);
        }
    }
}
