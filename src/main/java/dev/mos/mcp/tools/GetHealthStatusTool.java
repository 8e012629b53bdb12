package dev.mos.mcp.tools;

import dev.mos.health.HealthMonitor;
import dev.mos.mcp.McpTool;
import dev.mos.mcp.ProgressSink;
import dev.mos.mcp.ToolArguments;
import dev.mos.mcp.ToolResult;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/** get_health_status: healthy / warning / critical with the numbers behind it. */
public final class GetHealthStatusTool implements McpTool {

    private final HealthMonitor health;
    private final JsonMapper mapper;

    public GetHealthStatusTool(HealthMonitor health, JsonMapper mapper) {
        this.health = health;
        this.mapper = mapper;
    }

    @Override
    public String name() {
        return "get_health_status";
    }

    @Override
    public String description() {
        return "Server health: healthy, warning or critical from memory, error rate and response time against the "
                + "configured limits; uptime, requests, events, sessions. detailed=true adds per-tool breakdown, "
                + "event types, response-time percentiles, recent errors, raised alerts and circuit breakers.";
    }

    @Override
    public String inputSchema() {
        return """
                {"type": "object", "properties": {"detailed": {"type": "boolean", "default": false}}}
                """;
    }

    @Override
    public String outputSchema() {
        return """
                {"type": "object", "required": ["status", "uptime_ms", "memory", "requests", "events", "sessions"],
                 "properties": {"status": {"type": "string", "enum": ["healthy", "warning", "critical"]},
                  "uptime_ms": {"type": "integer"}, "memory": {"type": "object"}, "requests": {"type": "object"},
                  "events": {"type": "object"}, "sessions": {"type": "object"}, "alerts": {"type": "array"},
                  "method_breakdown": {"type": "object"}, "event_type_breakdown": {"type": "object"},
                  "components": {"type": "object"}}}
                """;
    }

    @Override
    public Set<String> parameters() {
        return Set.of("detailed");
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    @Override
    public ToolResult call(ToolArguments args, ProgressSink progress) {
        Map<String, Object> report = health.report(args.bool("detailed", false));
        return ToolResult.ok(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(report), report);
    }
}
