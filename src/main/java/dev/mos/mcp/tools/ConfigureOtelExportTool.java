package dev.mos.mcp.tools;

import dev.mos.config.OtlpEndpoints;
import dev.mos.export.ExportTarget;
import dev.mos.export.TraceExporter;
import dev.mos.mcp.InvalidArgumentException;
import dev.mos.mcp.McpTool;
import dev.mos.mcp.ProgressSink;
import dev.mos.mcp.ToolArguments;
import dev.mos.mcp.ToolResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/**
 * configure_otel_export: the trace export's status, and (when the operator allowed it) its target at run time.
 *
 * <p>Pointing a server at a URL of the caller's choice is an SSRF and exfiltration risk (every session's operations
 * would be sent there, with any headers the caller likes), so changes are refused unless the config sets
 * {@code otlpExport.allowRuntimeConfig=true}; status is always available. Headers are never echoed: the answer says
 * how many there are. Changes apply to the replica that received the call, not to the others, and last until the
 * process stops (the config file is not written).
 */
public final class ConfigureOtelExportTool implements McpTool {

    private static final List<String> PROTOCOLS = List.of(ExportTarget.HTTP_PROTOBUF);

    private final TraceExporter exporter;
    private final boolean allowRuntimeConfig;
    private final long defaultTimeoutMs;
    private final JsonMapper mapper;
    /** The last target set (from the config or this tool), for enabled=true without an endpoint. */
    private ExportTarget lastTarget;

    public ConfigureOtelExportTool(TraceExporter exporter, ExportTarget configured, boolean allowRuntimeConfig,
            long defaultTimeoutMs, JsonMapper mapper) {
        this.exporter = exporter;
        this.lastTarget = configured;
        this.allowRuntimeConfig = allowRuntimeConfig;
        this.defaultTimeoutMs = defaultTimeoutMs;
        this.mapper = mapper;
    }

    @Override
    public String name() {
        return "configure_otel_export";
    }

    @Override
    public String description() {
        return "Status of the OTLP trace export (every finished operation of every session sent as an "
                + "OpenTelemetry span to Jaeger, Tempo, Phoenix, Langfuse or a collector): endpoint, protocol, "
                + "enabled, spans exported/dropped/failed, circuit breaker state, last error. Without arguments it "
                + "only reports. With endpoint (a base URL such as http://collector:4318; /v1/traces is appended), "
                + "protocol, headers (object or \"k=v,k2=v2\"; never echoed back) and timeout_ms it replaces the "
                + "target; enabled=false turns export off, enabled=true turns the last target back on. Changes are "
                + "refused unless the server's config sets otlpExport.allowRuntimeConfig=true, apply only to the "
                + "replica that received the call, and last until it restarts.";
    }

    @Override
    public String inputSchema() {
        return """
                {"type": "object", "properties": {
                  "endpoint": {"type": "string", "description": "OTLP/HTTP base URL, e.g. http://collector:4318"},
                  "protocol": {"type": "string", "enum": ["http/protobuf"], "default": "http/protobuf"},
                  "headers": {"description": "sent with every export (API keys); never shown",
                    "oneOf": [{"type": "object", "additionalProperties": {"type": "string"}}, {"type": "string"}]},
                  "timeout_ms": {"type": "integer", "minimum": 100, "maximum": 600000},
                  "enabled": {"type": "boolean"}}}
                """;
    }

    @Override
    public String outputSchema() {
        return """
                {"type": "object", "required": ["enabled", "endpoint", "exported", "dropped", "failed",
                  "breaker_state", "runtime_config_allowed"],
                 "properties": {"enabled": {"type": "boolean"}, "endpoint": {"type": "string"},
                  "protocol": {"type": ["string", "null"]}, "header_count": {"type": "integer"},
                  "exported": {"type": "integer"}, "dropped": {"type": "integer"}, "failed": {"type": "integer"},
                  "waiting": {"type": "integer"}, "breaker_state": {"type": "string"},
                  "last_error": {"type": ["string", "null"]}, "runtime_config_allowed": {"type": "boolean"},
                  "changed": {"type": "boolean"}, "scope": {"type": "string"}}}
                """;
    }

    @Override
    public Set<String> parameters() {
        return Set.of("endpoint", "protocol", "headers", "timeout_ms", "enabled");
    }

    @Override
    public boolean readOnly() {
        return false;
    }

    /** It makes this server send sessions to an endpoint the caller names. */
    @Override
    public boolean openWorld() {
        return true;
    }

    @Override
    public synchronized ToolResult call(ToolArguments args, ProgressSink progress) {
        boolean change = parameters().stream().anyMatch(args::has);
        if (change && !allowRuntimeConfig) {
            return ToolResult.error("changing the trace export at run time is disabled on this server: the operator "
                    + "must set otlpExport.allowRuntimeConfig=true in its config (call without arguments for the "
                    + "status)");
        }
        if (change) {
            Boolean enabled = args.optionalBool("enabled");
            if (Boolean.FALSE.equals(enabled)) {
                if (args.has("endpoint") || args.has("headers")) {
                    throw new InvalidArgumentException("enabled=false turns export off; do not pass endpoint or "
                            + "headers with it");
                }
                exporter.configure(null);
            } else {
                ExportTarget target = target(args);
                if (target == null) {
                    throw new InvalidArgumentException("no export target is known yet: pass endpoint");
                }
                try {
                    exporter.configure(target);
                } catch (IllegalArgumentException e) {
                    throw new InvalidArgumentException(e.getMessage());
                }
                lastTarget = target;
            }
        }
        Map<String, Object> out = statusMap(change);
        return ToolResult.ok(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(out), out);
    }

    private ExportTarget target(ToolArguments args) {
        ExportTarget base = lastTarget;
        String endpoint = args.string("endpoint", base == null ? null : base.endpoint());
        if (endpoint == null) {
            return null;
        }
        if (args.has("endpoint")) {
            String problem = OtlpEndpoints.problem(endpoint);
            if (problem != null) {
                throw new InvalidArgumentException("endpoint " + problem);
            }
        }
        String protocol = args.choice("protocol", base == null ? ExportTarget.HTTP_PROTOBUF : base.protocol(),
                PROTOCOLS);
        Map<String, String> headers;
        if (args.has("headers")) {
            headers = headers(args.raw("headers"));
        } else if (base != null && args.has("endpoint") && !sameHost(base.endpoint(), endpoint)) {
            // credentials meant for one backend are never sent to another one without being given again
            headers = Map.of();
        } else {
            headers = base == null ? Map.of() : base.headers();
        }
        long timeout = args.integer("timeout_ms", base == null ? defaultTimeoutMs : base.timeoutMs(), 100, 600_000);
        return new ExportTarget(endpoint.strip(), protocol, headers, timeout);
    }

    private static boolean sameHost(String a, String b) {
        return OtlpEndpoints.shown(a).replaceFirst("^(\\w+://[^/]*).*$", "$1")
                .equals(OtlpEndpoints.shown(b).replaceFirst("^(\\w+://[^/]*).*$", "$1"));
    }

    private static Map<String, String> headers(Object raw) {
        if (raw instanceof String text) {
            try {
                return OtlpEndpoints.parseHeaders(text);
            } catch (IllegalArgumentException e) {
                throw new InvalidArgumentException("headers: " + e.getMessage());
            }
        }
        if (raw instanceof Map<?, ?> map) {
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getValue() instanceof String value)) {
                    throw new InvalidArgumentException("headers: the value of '" + e.getKey()
                            + "' must be a string (it is not shown)");
                }
                out.put(String.valueOf(e.getKey()), value);
            }
            String problem = OtlpEndpoints.headersProblem(out);
            if (problem != null) {
                throw new InvalidArgumentException("headers: " + problem);
            }
            return out;
        }
        throw new InvalidArgumentException("headers must be an object of strings or a \"k=v,k2=v2\" string");
    }

    private Map<String, Object> statusMap(boolean changed) {
        TraceExporter.Status s = exporter.status();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enabled", s.enabled());
        out.put("endpoint", s.endpoint());
        out.put("protocol", s.protocol());
        out.put("header_count", s.headerCount());
        out.put("exported", s.exported());
        out.put("dropped", s.dropped());
        out.put("failed", s.failed());
        out.put("waiting", s.waiting());
        out.put("breaker_state", s.breakerState());
        out.put("last_error", s.lastError());
        out.put("runtime_config_allowed", allowRuntimeConfig);
        out.put("changed", changed);
        out.put("scope", "this replica only");
        return out;
    }
}
