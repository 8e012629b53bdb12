package dev.mos.mcp.tools;

import dev.mos.mcp.InvalidArgumentException;
import dev.mos.mcp.McpTool;
import dev.mos.mcp.ProgressSink;
import dev.mos.mcp.ToolArguments;
import dev.mos.mcp.ToolResult;
import dev.mos.query.QueryService;
import java.util.Map;
import java.util.Set;

/** delete_session: removes a session and all its events from the store (every replica, since they share it). */
public final class DeleteSessionTool implements McpTool {

    private final QueryService query;

    public DeleteSessionTool(QueryService query) {
        this.query = query;
    }

    @Override
    public String name() {
        return "delete_session";
    }

    @Override
    public String description() {
        return "Delete a session and all its events for good. The session id must be given exactly (\"latest\" is"
                + " not accepted for a deletion).";
    }

    @Override
    public String inputSchema() {
        return """
                {"type": "object", "required": ["session_id"], "properties": {
                  "session_id": {"type": "string", "description": "the exact id of the session to delete"}}}
                """;
    }

    @Override
    public String outputSchema() {
        return """
                {"type": "object", "required": ["session_id", "deleted"], "properties": {
                  "session_id": {"type": "string"}, "deleted": {"type": "boolean"}}}
                """;
    }

    @Override
    public Set<String> parameters() {
        return Set.of("session_id");
    }

    @Override
    public boolean readOnly() {
        return false;
    }

    @Override
    public boolean destructive() {
        return true;
    }

    @Override
    public ToolResult call(ToolArguments args, ProgressSink progress) {
        String sessionId = args.string("session_id", null);
        if (sessionId == null || sessionId.isBlank() || QueryService.LATEST.equals(sessionId)) {
            throw new InvalidArgumentException("session_id is required and must be an exact session id"
                    + " (\"latest\" is refused for a deletion)");
        }
        query.delete(sessionId);
        return ToolResult.ok("Deleted session " + sessionId + " and all its events.",
                Map.of("session_id", sessionId, "deleted", true));
    }
}
