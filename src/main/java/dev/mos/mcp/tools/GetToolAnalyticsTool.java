package dev.mos.mcp.tools;

import dev.mos.mcp.McpTool;
import dev.mos.mcp.ProgressSink;
import dev.mos.mcp.ToolArguments;
import dev.mos.mcp.ToolResult;
import dev.mos.query.QueryService;
import dev.mos.query.ToolStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** get_tool_analytics: per tool calls, error rate and duration percentiles, for one session or all. */
public final class GetToolAnalyticsTool implements McpTool {

    private final QueryService query;

    public GetToolAnalyticsTool(QueryService query) {
        this.query = query;
    }

    @Override
    public String name() {
        return "get_tool_analytics";
    }

    @Override
    public String description() {
        return "Per-tool statistics (tool and MCP calls): calls, errors, error rate, p50/p95/p99/avg/max duration. "
                + "For one session (session_id, or \"latest\") or, when session_id is omitted, across all sessions.";
    }

    @Override
    public String inputSchema() {
        return """
                {"type": "object", "properties": {
                  "session_id": {"type": "string", "description": "A session id or \\"latest\\"; omit for all sessions"},
                  "tool_name": {"type": "string"}}}
                """;
    }

    @Override
    public String outputSchema() {
        return """
                {"type": "object", "required": ["scope", "tools"], "properties": {
                  "scope": {"type": "string"}, "tools": {"type": "array", "items": {"type": "object", "properties": {
                    "tool": {"type": "string"}, "kind": {"type": "string"}, "calls": {"type": "integer"},
                    "errors": {"type": "integer"}, "running": {"type": "integer"}, "error_rate": {"type": "number"},
                    "p50_ms": {"type": "integer"}, "p95_ms": {"type": "integer"}, "p99_ms": {"type": "integer"},
                    "avg_ms": {"type": "integer"}, "max_ms": {"type": "integer"}}}}}}
                """;
    }

    @Override
    public Set<String> parameters() {
        return Set.of("session_id", "tool_name");
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    @Override
    public ToolResult call(ToolArguments args, ProgressSink progress) {
        String sessionArg = args.string("session_id", null);
        String scope = sessionArg == null ? "all sessions" : query.resolve(sessionArg).sessionId();
        List<ToolStats> stats = query.toolAnalytics(sessionArg == null ? null : scope,
                args.string("tool_name", null));
        List<Map<String, Object>> tools = new ArrayList<>();
        StringBuilder text = new StringBuilder("Tool analytics for " + scope + "\n");
        for (ToolStats s : stats) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tool", s.tool());
            m.put("kind", s.kind());
            m.put("calls", s.calls());
            m.put("errors", s.errors());
            m.put("running", s.running());
            m.put("error_rate", Math.round(s.errorRate() * 10_000) / 10_000.0);
            m.put("p50_ms", s.p50Ms());
            m.put("p95_ms", s.p95Ms());
            m.put("p99_ms", s.p99Ms());
            m.put("avg_ms", s.avgMs());
            m.put("max_ms", s.maxMs());
            tools.add(m);
            text.append(String.format(Locale.ROOT, "- %s (%s): %d calls, %d errors (%.1f%%), p50 %d ms, p95 %d ms, "
                    + "p99 %d ms%n", s.tool(), s.kind(), s.calls(), s.errors(), s.errorRate() * 100, s.p50Ms(),
                    s.p95Ms(), s.p99Ms()));
        }
        if (stats.isEmpty()) {
            text.append("(no tool calls recorded)\n");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("scope", scope);
        out.put("tools", tools);
        return ToolResult.ok(text.toString(), out);
    }
}
