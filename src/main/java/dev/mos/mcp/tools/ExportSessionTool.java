package dev.mos.mcp.tools;

import dev.mos.mcp.McpTool;
import dev.mos.mcp.ProgressSink;
import dev.mos.mcp.ToolArguments;
import dev.mos.mcp.ToolResult;
import dev.mos.query.QueryService;
import dev.mos.query.SessionExport;
import dev.mos.query.SessionView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/** export_session: a whole session as JSON, text, or a Claude-Code-like log. */
public final class ExportSessionTool implements McpTool {

    private final QueryService query;
    private final SessionExport export;
    private final JsonMapper mapper;

    public ExportSessionTool(QueryService query, SessionExport export, JsonMapper mapper) {
        this.query = query;
        this.export = export;
        this.mapper = mapper;
    }

    @Override
    public String name() {
        return "export_session";
    }

    @Override
    public String description() {
        return "Export a whole session: json (summary with project, tokens and cost, tree and every retained event), "
                + "text, or claude_code_log (each operation as Claude Code prints a call and its result).";
    }

    @Override
    public String inputSchema() {
        return """
                {"type": "object", "properties": {
                  %s,
                  "format": {"type": "string", "enum": ["json", "text", "claude_code_log"], "default": "json"}}}
                """.formatted(Schemas.SESSION_ID);
    }

    @Override
    public String outputSchema() {
        return """
                {"type": "object", "required": ["session_id", "format"], "properties": {
                  "session_id": {"type": "string"}, "format": {"type": "string"},
                  "export": {"type": "object", "properties": {"session": %s, "tree": {"type": "array"},
                    "events": {"type": "array"}}},
                  "content": {"type": "string"}}}
                """.formatted(Schemas.SESSION_SUMMARY);
    }

    @Override
    public Set<String> parameters() {
        return Set.of("session_id", "format");
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    @Override
    public ToolResult call(ToolArguments args, ProgressSink progress) {
        String format = args.choice("format", "json", List.of("json", "text", "claude_code_log"));
        SessionView view = query.view(args.string("session_id", QueryService.LATEST));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("session_id", view.info().sessionId());
        out.put("format", format);
        String text;
        switch (format) {
            case "json" -> {
                Map<String, Object> document = export.json(view);
                out.put("export", document);
                text = mapper.writerWithDefaultPrettyPrinter().writeValueAsString(document);
            }
            case "text" -> text = export.text(view);
            default -> text = export.claudeCodeLog(view);
        }
        if (!format.equals("json")) {
            out.put("content", text);
        }
        return ToolResult.ok(text, out);
    }
}
