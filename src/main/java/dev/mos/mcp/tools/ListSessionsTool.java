package dev.mos.mcp.tools;

import dev.mos.mcp.InvalidArgumentException;
import dev.mos.mcp.McpTool;
import dev.mos.mcp.ProgressSink;
import dev.mos.mcp.ToolArguments;
import dev.mos.mcp.ToolResult;
import dev.mos.model.SessionStatus;
import dev.mos.query.Durations;
import dev.mos.query.QueryService;
import dev.mos.query.SessionFilter;
import dev.mos.query.SessionJson;
import dev.mos.query.SessionUsage;
import dev.mos.query.SessionView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** list_sessions: the sessions, most recently active first. */
public final class ListSessionsTool implements McpTool {

    private final QueryService query;

    public ListSessionsTool(QueryService query) {
        this.query = query;
    }

    @Override
    public String name() {
        return "list_sessions";
    }

    @Override
    public String description() {
        return "List sessions, most recently active first, with status, project, event counts, metrics and usage "
                + "(tokens and cost). Filter by status (active, completed, failed), project, sender (the token's name) and agent "
                + "(claude-code, codex, gemini-cli, …; exact matches).";
    }

    @Override
    public String inputSchema() {
        return """
                {"type": "object", "properties": {
                  "status": {"type": "string", "enum": ["active", "completed", "failed"]},
                  "project": {"type": "string", "description": "Only sessions of this project (exact match: the working directory Claude Code reports, or details.project)"},
                  "sender": {"type": "string", "description": "Only sessions sent with this token (its name in the tokens file; 'default' for MCP_AUTH_TOKEN)"},
                  "agent": {"type": "string", "description": "Only sessions of this coding agent: claude-code, codex, gemini-cli, or the service.name of another OpenTelemetry source"},
                  "limit": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 20}}}
                """;
    }

    @Override
    public String outputSchema() {
        return """
                {"type": "object", "required": ["sessions", "total"], "properties": {
                  "sessions": {"type": "array", "items": %s}, "total": {"type": "integer"}}}
                """.formatted(Schemas.SESSION_SUMMARY);
    }

    @Override
    public Set<String> parameters() {
        return Set.of("status", "project", "sender", "agent", "limit");
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    @Override
    public ToolResult call(ToolArguments args, ProgressSink progress) {
        String statusText = args.string("status", null);
        Optional<SessionStatus> status = Optional.empty();
        if (statusText != null) {
            status = Optional.of(SessionStatus.fromWire(statusText).orElseThrow(() ->
                    new InvalidArgumentException("status must be one of active, completed, failed, got \""
                            + statusText + "\"")));
        }
        int limit = (int) args.integer("limit", 20, 1, 1000);
        List<SessionView> views = query.list(new SessionFilter(args.string("project", null),
                args.string("sender", null), args.string("agent", null), status.orElse(null), null, null, null),
                limit);
        long now = query.nowMs();
        List<Map<String, Object>> sessions = new ArrayList<>();
        StringBuilder text = new StringBuilder(views.size() + " of " + query.sessionCount() + " sessions\n");
        for (SessionView v : views) {
            sessions.add(SessionJson.summary(v, now));
            text.append("- ").append(v.info().sessionId()).append(" · ").append(v.status().wireName()).append(" · ");
            if (v.project() != null) {
                text.append("project ").append(v.project()).append(" · ");
            }
            if (v.info().agent() != null) {
                text.append(v.info().agent()).append(" · ");
            }
            if (v.info().sender() != null) {
                text.append("sender ").append(v.info().sender()).append(" · ");
            }
            SessionUsage usage = v.usage();
            if (usage != null) {
                text.append(String.format(Locale.ROOT, "$%.4f, %,d tokens · ", usage.total().costUsd(),
                        usage.total().totalTokens()));
            }
            text.append(v.info().retainedEvents()).append(" events · ").append(v.metrics().toolCalls())
                    .append(" tool calls · ").append(v.metrics().errors()).append(" errors · last activity ")
                    .append(Durations.iso(v.info().lastActivityMs())).append('\n');
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sessions", sessions);
        out.put("total", query.sessionCount());
        return ToolResult.ok(text.toString(), out);
    }
}
