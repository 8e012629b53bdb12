package dev.mos.export;

import dev.mos.model.Event;
import dev.mos.model.OperationKind;
import dev.mos.model.OperationNode;
import dev.mos.model.OperationStatus;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * One finished operation to one span: ids from {@link SpanIds}, the parent from the tree, the operation's own
 * times, ERROR status with the error message, and attributes in the OpenTelemetry GenAI semantic conventions
 * ({@code gen_ai.*}, MCP's {@code mcp.method.name}) plus {@code session.id} and {@code mos.*}, from which a receiver
 * (MOS's own {@code /v1/traces}) rebuilds the same tree. Only what the store holds is read, so what privacy
 * settings removed before storage is never exported; free text (prompts, tool input and output) is left out.
 */
public final class OperationSpans {

    public static final String SCOPE = "dev.mos.export";

    private final Resource resource;
    private final InstrumentationScopeInfo scope;
    private final Function<Event, Map<String, Object>> details;

    public OperationSpans(Resource resource, String version, Function<Event, Map<String, Object>> details) {
        this.resource = resource;
        this.scope = InstrumentationScopeInfo.builder(SCOPE).setVersion(version).build();
        this.details = details;
    }

    /** The resource of every span: service.name, service.version, service.instance.id. */
    public static Resource resource(String serviceName, String serviceVersion, String instanceId) {
        return Resource.getDefault().merge(Resource.create(Attributes.of(
                AttributeKey.stringKey("service.name"), serviceName,
                AttributeKey.stringKey("service.version"), serviceVersion,
                AttributeKey.stringKey("service.instance.id"), instanceId)));
    }

    /**
     * @param parent the node's parent in the tree, null for a root
     * @param root the top-level operation the node belongs to (the node itself for a root): it names the trace
     */
    public OperationSpanData span(String sessionId, String project, OperationNode node, OperationNode parent,
            OperationNode root) {
        String traceId = SpanIds.traceId(sessionId, root.id());
        SpanContext self = SpanContext.create(traceId, SpanIds.spanId(sessionId, node.id()), TraceFlags.getSampled(),
                TraceState.getDefault());
        SpanContext parentContext = parent == null ? SpanContext.getInvalid()
                : SpanContext.create(traceId, SpanIds.spanId(sessionId, parent.id()), TraceFlags.getSampled(),
                        TraceState.getDefault());

        Map<String, Object> d = merged(node);
        AttributesBuilder a = Attributes.builder();
        a.put("session.id", sessionId);
        a.put("gen_ai.conversation.id", sessionId);
        a.put("mos.kind", node.kind().wireName());
        a.put("mos.operation.id", node.id());
        a.put("mos.name", node.name());
        a.put("mos.status", node.status().wireName());
        if (parent != null) {
            a.put("mos.parent_operation.id", parent.id());
        }
        String proj = text(d.get("project"));
        proj = proj != null ? proj : project;
        if (proj != null) {
            a.put("mos.project", proj);
        }
        String codingAgent = text(d.get("agent"));
        if (codingAgent != null) {
            a.put("mos.agent", codingAgent); // the receiving MOS keeps the coding agent, not "mos"
        }
        String spanName = node.name();
        SpanKind kind = SpanKind.INTERNAL;
        switch (node.kind()) {
            case LLM -> {
                kind = SpanKind.CLIENT;
                a.put("gen_ai.operation.name", "chat");
                String model = text(d.get("model"));
                if (model == null && !node.name().equals(OperationKind.LLM.wireName())) {
                    model = node.name();
                }
                String provider = provider(d, model);
                if (provider != null) {
                    a.put("gen_ai.provider.name", provider);
                    a.put("gen_ai.system", provider);
                }
                if (model != null) {
                    a.put("gen_ai.request.model", model);
                    a.put("gen_ai.response.model", model);
                }
                putLong(a, "gen_ai.usage.input_tokens", d.get("input_tokens"));
                putLong(a, "gen_ai.usage.output_tokens", d.get("output_tokens"));
                putLong(a, "gen_ai.usage.cache_read.input_tokens", d.get("cache_read_tokens"));
                putLong(a, "gen_ai.usage.cache_creation.input_tokens", d.get("cache_creation_tokens"));
                Double cost = decimal(d.get("cost_usd"));
                if (cost != null) {
                    a.put("mos.cost_usd", cost);
                }
                spanName = model == null ? "chat" : "chat " + model;
            }
            case TOOL -> {
                a.put("gen_ai.operation.name", "execute_tool");
                a.put("gen_ai.tool.name", node.name());
                a.put("gen_ai.tool.type", "function");
                putCallId(a, node, d);
                spanName = "execute_tool " + node.name();
            }
            case MCP -> {
                kind = SpanKind.CLIENT;
                String server = text(d.get("mcp_server"));
                String tool = text(d.get("mcp_tool"));
                String[] parts = node.name().split("__");
                if (parts.length >= 3) {
                    server = server != null ? server : parts[parts.length - 2];
                    tool = tool != null ? tool : parts[parts.length - 1];
                }
                tool = tool != null ? tool : node.name();
                a.put("gen_ai.operation.name", "execute_tool");
                a.put("mcp.method.name", "tools/call");
                a.put("gen_ai.tool.name", tool);
                if (server != null) {
                    a.put("mos.mcp.server", server);
                }
                putCallId(a, node, d);
                spanName = "tools/call " + tool;
            }
            case SUBAGENT -> {
                a.put("gen_ai.operation.name", "invoke_agent");
                String agent = text(d.get("subagent_type"));
                a.put("gen_ai.agent.name", agent != null ? agent : node.name());
                spanName = "invoke_agent " + (agent != null ? agent : node.name());
            }
            case TASK -> {
                // a prompt's task has no GenAI operation of its own: its LLM and tool calls are the children
            }
        }
        StatusData status = StatusData.unset();
        if (node.status() == OperationStatus.ERROR || node.status() == OperationStatus.TIMEOUT) {
            String message = errorMessage(node, d);
            status = StatusData.create(StatusCode.ERROR, message == null ? "" : message);
            a.put("error.type", node.status() == OperationStatus.TIMEOUT ? "timeout" : "_OTHER");
        }
        long startNanos = node.startMs() * 1_000_000L;
        long durationMs = node.durationMs() != null ? node.durationMs()
                : node.endMs() != null ? Math.max(0, node.endMs() - node.startMs()) : 0;
        long endNanos = startNanos + durationMs * 1_000_000L;
        return new OperationSpanData(spanName, kind, self, parentContext, status, startNanos, endNanos, a.build(),
                resource, scope);
    }

    /** The operation's details, later reports winning (as the usage roll-up reads them). */
    private Map<String, Object> merged(OperationNode node) {
        Map<String, Object> d = new HashMap<>();
        if (node.start() != null) {
            d.putAll(details.apply(node.start()));
        }
        for (Event e : node.progress()) {
            if (e.type().kind() == node.kind()) {
                d.putAll(details.apply(e));
            }
        }
        if (node.end() != null) {
            d.putAll(details.apply(node.end()));
        }
        return d;
    }

    private static String errorMessage(OperationNode node, Map<String, Object> d) {
        Object error = node.end() == null ? null : d.get("error");
        if (error instanceof Map<?, ?> m && m.get("message") instanceof String s) {
            return s;
        }
        if (error != null) {
            return String.valueOf(error);
        }
        return node.end() == null ? null : node.end().description();
    }

    private static void putCallId(AttributesBuilder a, OperationNode node, Map<String, Object> d) {
        String id = text(d.get("tool_use_id"));
        if (id == null) {
            Event first = node.primary();
            id = first.correlationId();
        }
        if (id != null) {
            a.put("gen_ai.tool.call.id", id);
        }
    }

    private static String provider(Map<String, Object> d, String model) {
        String p = text(d.get("provider"));
        if (p != null) {
            return p.toLowerCase(Locale.ROOT);
        }
        return model != null && model.toLowerCase(Locale.ROOT).contains("claude") ? "anthropic" : null;
    }

    private static void putLong(AttributesBuilder a, String key, Object value) {
        Double v = decimal(value);
        if (v != null) {
            a.put(key, v.longValue());
        }
    }

    private static String text(Object v) {
        return v instanceof String s && !s.isBlank() ? s : null;
    }

    private static Double decimal(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
