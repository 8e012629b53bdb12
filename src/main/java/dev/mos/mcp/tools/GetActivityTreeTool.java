package dev.mos.mcp.tools;

import dev.mos.mcp.McpTool;
import dev.mos.mcp.ProgressSink;
import dev.mos.mcp.ToolArguments;
import dev.mos.mcp.ToolResult;
import dev.mos.mcp.InvalidArgumentException;
import dev.mos.query.OperationDetails;
import dev.mos.query.QueryService;
import dev.mos.query.RenderOptions;
import dev.mos.query.SessionJson;
import dev.mos.query.SessionLifecycle;
import dev.mos.query.SessionView;
import dev.mos.query.TextStyle;
import dev.mos.query.TreeJson;
import dev.mos.query.TreeText;
import dev.mos.model.DisplaySettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/** get_activity_tree: the session's operations as a tree, Claude-Code-style text, plain text or JSON. */
public final class GetActivityTreeTool implements McpTool {

    static final List<String> FORMATS = List.of("claude_code_style", "json", "plain");

    private final QueryService query;
    private final TreeText text;
    private final TreeJson json;
    private final OperationDetails operations;
    private final JsonMapper mapper;

    public GetActivityTreeTool(QueryService query, TreeText text, TreeJson json, OperationDetails operations,
            JsonMapper mapper) {
        this.query = query;
        this.text = text;
        this.json = json;
        this.operations = operations;
        this.mapper = mapper;
    }

    @Override
    public String name() {
        return "get_activity_tree";
    }

    @Override
    public String description() {
        return "Show a session's activity as a tree of operations (tasks, tool calls, MCP calls, subagents, LLM "
                + "calls) with status, timings, slow operations and errors, and the session's project, tokens and cost. format: claude_code_style (default), plain or json. "
                + "include_details (json) adds each operation's title and what was captured: tool input, output or "
                + "error, MCP server and tool, subagent, prompt, model, tokens, cost. operation_id answers with that "
                + "one operation's details and raw events.";
    }

    @Override
    public String inputSchema() {
        return """
                {"type": "object", "properties": {
                  %s,
                  "include_completed": {"type": "boolean", "default": true},
                  "max_depth": {"type": "integer", "minimum": 1, "maximum": %d, "default": 5},
                  "format": {"type": "string", "enum": ["claude_code_style", "json", "plain"], "default": "claude_code_style"},
                  "include_details": {"type": "boolean", "default": false, "description": "json format: each operation's title and captured details"},
                  "operation_id": {"type": "string", "description": "only this operation (an id of the tree), with its details and raw events"}}}
                """.formatted(Schemas.SESSION_ID, DisplaySettings.MAX_DEPTH_LIMIT);
    }

    @Override
    public String outputSchema() {
        return """
                {"type": "object", "required": ["session_id", "format", "operation_count"], "properties": {
                  "session_id": {"type": "string"}, "status": {"type": "string"}, "format": {"type": "string"},
                  "project": {"type": ["string", "null"]}, "usage": %s, "lifecycle": {"type": "object"},
                  "operation_count": {"type": "integer"}, "running_count": {"type": "integer"},
                  "dropped_events": {"type": "integer"}, "last_sequence": {"type": "integer"},
                  "slow_threshold_ms": {"type": "integer"},
                  "text": {"type": "string"}, "tree": {"type": "array", "items": {"type": "object"}},
                  "operation": {"type": "object"}}}
                """.formatted(Schemas.USAGE);
    }

    @Override
    public Set<String> parameters() {
        return Set.of("session_id", "include_completed", "max_depth", "format", "include_details", "operation_id");
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    @Override
    public ToolResult call(ToolArguments args, ProgressSink progress) {
        String format = args.choice("format", "claude_code_style", FORMATS);
        boolean includeCompleted = args.bool("include_completed", true);
        boolean includeDetails = args.bool("include_details", false);
        String operationId = args.string("operation_id", null);
        int maxDepth = (int) args.integer("max_depth", 5, 1, DisplaySettings.MAX_DEPTH_LIMIT);
        SessionView view = query.view(args.string("session_id", QueryService.LATEST));
        RenderOptions options = query.renderOptions(view.info(), includeCompleted, maxDepth);

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("session_id", view.info().sessionId());
        out.put("status", view.status().wireName());
        out.put("format", format);
        out.put("project", view.project());
        out.put("usage", SessionJson.usage(view.usage()));
        out.put("lifecycle", SessionJson.lifecycle(view));
        out.put("operation_count", SessionLifecycle.operationCount(view.tree()));
        out.put("running_count", view.tree().runningCount());
        out.put("dropped_events", view.tree().droppedEvents());
        out.put("last_sequence", view.tree().lastSequence());
        out.put("slow_threshold_ms", options.slowThresholdMs());
        String rendered;
        if (operationId != null) {
            Map<String, Object> operation = operations.find(view.tree(), operationId, options).orElseThrow(() ->
                    new InvalidArgumentException("operation_id: session '" + view.info().sessionId()
                            + "' has no operation '" + operationId + "' (ids are the tree's \"id\" values)"));
            out.put("operation", operation);
            rendered = mapper.writerWithDefaultPrettyPrinter().writeValueAsString(operation);
        } else if (format.equals("json")) {
            List<Map<String, Object>> roots = json.roots(view.tree(), options, includeDetails);
            out.put("tree", roots);
            rendered = mapper.writerWithDefaultPrettyPrinter().writeValueAsString(out);
        } else {
            TextStyle style = format.equals("plain") ? TextStyle.PLAIN : TextStyle.CLAUDE_CODE;
            String body = text.render(view.tree(), options, style);
            rendered = "Session " + view.info().sessionId() + " · " + view.status().wireName() + " · "
                    + view.tree().operationCount() + " operations, " + view.tree().runningCount() + " running\n"
                    + (view.project() == null ? "" : "Project " + view.project() + "\n")
                    + (view.usage() == null ? "" : "Usage " + SessionJson.usageLine(view.usage()) + "\n")
                    + body;
            out.put("text", rendered);
        }
        return ToolResult.ok(rendered, out);
    }
}
