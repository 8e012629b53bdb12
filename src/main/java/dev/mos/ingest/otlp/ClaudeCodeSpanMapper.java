package dev.mos.ingest.otlp;

import dev.mos.ingest.hooks.AgentLinks;
import dev.mos.model.EventStatus;
import dev.mos.model.EventType;
import dev.mos.model.NewEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Claude Code's beta trace spans onto the operations hooks and logs report, on the same join keys:
 * {@code claude_code.interaction} is the prompt's task, {@code claude_code.llm_request} the LLM operation
 * ({@code llm:<request_id>}), {@code claude_code.tool} the tool operation ({@code tool_use_id}), whose
 * {@code tool.execution} and {@code tool.blocked_on_user} children only add its outcome and permission decision.
 * Spans of a subagent hang below the Agent tool's execution span, so the Agent call they nest under is known exactly.
 *
 * <p>Spans carry no {@code prompt.id}. The task is {@code prompt:<id>} when a log record of the same trace named
 * the prompt (log records carry trace ids), or when hooks saw a prompt submitted as the interaction began (a
 * session runs one prompt at a time), else {@code trace:<trace id>}; when a log links such a trace later, the
 * trace's task is nested under the prompt's. Because children end (and are exported) before their parents, the
 * spans of a trace are held until its root span arrives, so that every span is mapped knowing its ancestors; a
 * trace whose root has not come after {@link #HOLD_MS} is mapped with what arrived. Every operation is reported by
 * its end event with the span's duration (the start follows from it), so the same operation seen by hooks or logs
 * first keeps their report and this one is recorded on it.
 */
public final class ClaudeCodeSpanMapper {

    static final long HOLD_MS = 30_000;
    static final int MAX_HELD_SPANS = 200_000;
    private static final int MAX_REMEMBERED_TRACES = 10_000;

    private final OtlpAttributes attributes;
    private final OtlpEvents events;
    private final AgentLinks hookLinks;
    private final OtlpJoins joins;

    private final Map<String, Held> held = new LinkedHashMap<>();
    private int heldSpans;
    /** Traces mapped already, by session + trace id: their span-to-operation table, for spans that come late. */
    private final Map<String, Map<String, String>> mapped = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, String>> eldest) {
            return size() > MAX_REMEMBERED_TRACES;
        }
    };

    private static final class Held {
        final List<OtlpSpan> spans = new ArrayList<>();
        final long firstSeenMs;

        Held(long firstSeenMs) {
            this.firstSeenMs = firstSeenMs;
        }
    }

    public ClaudeCodeSpanMapper(OtlpAttributes attributes, OtlpEvents events, AgentLinks hookLinks, OtlpJoins joins) {
        this.attributes = attributes;
        this.events = events;
        this.hookLinks = hookLinks;
        this.joins = joins;
    }

    /** Events for the spans of complete traces among {@code spans} (and of traces held too long). */
    public synchronized List<NewEvent> map(List<OtlpSpan> spans, long nowMs) {
        List<NewEvent> out = new ArrayList<>();
        List<String> ready = new ArrayList<>();
        for (OtlpSpan span : spans) {
            String session = OtlpAttributes.text(span.attributes().get("session.id"));
            if (session == null || session.isBlank()) {
                continue;
            }
            String key = session + "\u0000" + span.traceId();
            Map<String, String> done = mapped.get(key);
            if (done != null) {
                mapTrace(session, span.traceId(), List.of(span), done, out);
                continue;
            }
            Held h = held.computeIfAbsent(key, k -> new Held(nowMs));
            h.spans.add(span);
            heldSpans++;
            if (span.parentSpanId() == null) {
                ready.add(key);
            }
        }
        for (String key : ready) {
            flush(key, out);
        }
        // traces whose root never came (a crash, a dropped export), and the oldest ones past the memory bound
        for (Iterator<Map.Entry<String, Held>> it = held.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Held> e = it.next();
            if (nowMs - e.getValue().firstSeenMs < HOLD_MS && heldSpans <= MAX_HELD_SPANS) {
                break;
            }
            String key = e.getKey();
            it.remove();
            heldSpans -= e.getValue().spans.size();
            mapHeld(key, e.getValue(), out);
        }
        return out;
    }

    private void flush(String key, List<NewEvent> out) {
        Held h = held.remove(key);
        if (h != null) {
            heldSpans -= h.spans.size();
            mapHeld(key, h, out);
        }
    }

    private void mapHeld(String key, Held h, List<NewEvent> out) {
        int cut = key.indexOf('\u0000');
        String session = key.substring(0, cut);
        String traceId = key.substring(cut + 1);
        Map<String, String> ops = new HashMap<>();
        mapped.put(key, ops);
        mapTrace(session, traceId, h.spans, ops, out);
    }

    private void mapTrace(String session, String traceId, List<OtlpSpan> spans, Map<String, String> ops,
            List<NewEvent> out) {
        Map<String, OtlpSpan> byId = new HashMap<>(spans.size() * 2);
        Map<String, List<OtlpSpan>> children = new HashMap<>();
        for (OtlpSpan s : spans) {
            byId.put(s.spanId(), s);
            if (s.parentSpanId() != null) {
                children.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>(2)).add(s);
            }
        }
        String promptId = joins.promptOfTrace(session, traceId);
        if (promptId == null) {
            // No log record named the prompt: with hooks on, the interaction's times tell which prompt it ran.
            for (OtlpSpan s : spans) {
                if (kind(s).equals("interaction")) {
                    promptId = hookLinks.promptDuring(session, s.startMs(), s.endMs());
                    if (promptId != null) {
                        joins.linkTrace(session, traceId, promptId);
                    }
                    break;
                }
            }
        }
        String task = promptId != null ? "prompt:" + promptId : "trace:" + traceId;
        for (OtlpSpan s : spans) {
            String op = operation(session, s, byId, ops, task);
            String parentOp = parentOperation(session, s, byId, ops, task);
            Map<String, Object> a = s.attributes();
            String agentId = OtlpAttributes.text(a.get("agent_id"));
            if (agentId != null && parentOp != null && !parentOp.equals(task) && s.parentSpanId() != null
                    && byId.containsKey(s.parentSpanId())) {
                OtlpSpan parentTool = toolSpanOf(byId.get(s.parentSpanId()), byId);
                if (parentTool != null && ClaudeCodeOtelMapper.isAgent(
                        OtlpAttributes.text(parentTool.attributes().get("tool_name")))) {
                    joins.linkAgent(session, agentId, parentOp);
                }
            }
            String kind = kind(s);
            switch (kind) {
                case "interaction" -> {
                    String prompt = OtlpAttributes.text(a.get("user_prompt"));
                    String title = prompt == null || prompt.startsWith("<REDACTED") ? "Prompt"
                            : attributes.firstLine(prompt);
                    Map<String, Object> details = spanDetails(title, s);
                    if (promptId == null) {
                        details.put("trace_id", traceId);
                    }
                    out.add(events.event(session, s.error() ? EventType.TASK_FAILED : EventType.TASK_COMPLETE, null,
                            s.endMs(), s.durationMs(), null, op, title, details));
                }
                case "llm_request" -> {
                    String model = OtlpAttributes.text(a.get("model"));
                    boolean failed = s.error() || Boolean.FALSE.equals(a.get("success"))
                            || "false".equals(a.get("success"));
                    out.add(events.event(session, failed ? EventType.LLM_ERROR : EventType.LLM_RESPONSE, null,
                            s.endMs(), s.durationMs(), parentOp, op, model == null ? "LLM call" : model,
                            spanDetails(model, s)));
                }
                case "tool" -> {
                    String tool = OtlpAttributes.text(a.get("tool_name"));
                    EventType[] types = ClaudeCodeOtelMapper.toolTypes(tool);
                    Map<String, Object> details = spanDetails(tool, s);
                    boolean failed = s.error();
                    for (OtlpSpan child : children.getOrDefault(s.spanId(), List.of())) {
                        Map<String, Object> ca = child.attributes();
                        if (child.name().endsWith("tool.execution")) {
                            if (child.error() || Boolean.FALSE.equals(ca.get("success"))) {
                                failed = true;
                                Object error = ca.get("error");
                                details.put("error", attributes.value("error", error != null ? error
                                        : child.statusMessage() != null ? child.statusMessage() : "tool failed"));
                            }
                            details.put("execution_ms", child.durationMs());
                        } else if (child.name().endsWith("tool.blocked_on_user")) {
                            if (ca.get("decision") != null) {
                                details.put("decision", attributes.value("decision", ca.get("decision")));
                            }
                            if (ca.get("source") != null) {
                                details.put("decision_source", attributes.value("source", ca.get("source")));
                            }
                            details.put("blocked_on_user_ms", child.durationMs());
                        }
                    }
                    if (failed && !details.containsKey("error")) {
                        details.put("error", s.statusMessage() != null ? s.statusMessage() : "tool failed");
                    }
                    Long duration = OtlpAttributes.number(a.get("duration_ms"));
                    out.add(events.event(session, failed ? types[2] : types[1], null, s.endMs(),
                            duration != null ? duration : s.durationMs(), parentOp, op, tool, details));
                }
                case "part" -> {
                    // tool.execution / tool.blocked_on_user: folded into their tool span above
                }
                default -> {
                    Map<String, Object> details = spanDetails(s.name(), s);
                    details.put("duration_ms", s.durationMs());
                    out.add(events.event(session, EventType.TASK_PROGRESS, EventStatus.SUCCESS, s.endMs(), null,
                            null, parentOp != null ? parentOp : task, s.name(), details));
                }
            }
        }
        if (promptId == null) {
            joins.unlinkedTrace(session, traceId);
        }
    }

    private Map<String, Object> spanDetails(String name, OtlpSpan s) {
        Map<String, Object> d = attributes.details(name, "otel_trace", s.attributes());
        d.put("span", s.name());
        if (s.error() && s.statusMessage() != null && !d.containsKey("error")) {
            d.put("error", attributes.value("error", s.statusMessage()));
        }
        return d;
    }

    private static String kind(OtlpSpan s) {
        String type = OtlpAttributes.text(s.attributes().get("span.type"));
        String name = s.name().startsWith("claude_code.") ? s.name().substring("claude_code.".length()) : s.name();
        String k = type != null ? type : name;
        return switch (k) {
            case "interaction", "llm_request", "tool" -> k;
            case "tool.execution", "tool.blocked_on_user" -> "part";
            default -> "other";
        };
    }

    /** The tool span a span belongs to: itself, or the tool span above an execution/blocked span. */
    private static OtlpSpan toolSpanOf(OtlpSpan s, Map<String, OtlpSpan> byId) {
        for (OtlpSpan cur = s; cur != null; cur = cur.parentSpanId() == null ? null : byId.get(cur.parentSpanId())) {
            String k = kind(cur);
            if (k.equals("tool")) {
                return cur;
            }
            if (!k.equals("part")) {
                return null;
            }
        }
        return null;
    }

    /** The operation a span stands for (its own, or the one it is part of). */
    private String operation(String session, OtlpSpan s, Map<String, OtlpSpan> byId, Map<String, String> ops,
            String task) {
        String known = ops.get(s.spanId());
        if (known != null) {
            return known;
        }
        Map<String, Object> a = s.attributes();
        String op = switch (kind(s)) {
            case "interaction" -> task;
            case "tool" -> {
                String id = OtlpAttributes.text(a.get("tool_use_id"));
                yield id != null ? id : "span:" + s.spanId();
            }
            case "llm_request" -> {
                String id = OtlpAttributes.text(a.get("request_id"));
                yield "llm:" + (id != null ? id : s.spanId());
            }
            default -> parentOperation(session, s, byId, ops, task);
        };
        if (ops.size() < OtlpJoins.MAX_PER_SESSION) {
            ops.put(s.spanId(), op);
        }
        return op;
    }

    /** The operation a span nests under: its parent span's, else its subagent's Agent call, else the task. */
    private String parentOperation(String session, OtlpSpan s, Map<String, OtlpSpan> byId, Map<String, String> ops,
            String task) {
        if (s.parentSpanId() == null) {
            return null;
        }
        OtlpSpan parent = byId.get(s.parentSpanId());
        if (parent != null) {
            return operation(session, parent, byId, ops, task);
        }
        String known = ops.get(s.parentSpanId());
        if (known != null) {
            return known;
        }
        String agentId = OtlpAttributes.text(s.attributes().get("agent_id"));
        if (agentId != null) {
            String op = hookLinks.knownOperationOf(session, agentId);
            op = op != null ? op : joins.operationOfAgent(session, agentId);
            if (op != null) {
                return op;
            }
        }
        return task;
    }
}
