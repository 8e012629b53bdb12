package dev.mos.ingest.otlp;

import dev.mos.model.EventType;
import java.util.Map;

/** A Codex tool call's name as shown and its operation kind (a command, an MCP tool, spawn_agent). */
record CodexTool(String name, String tool, String mcpServer, boolean spawn) {

    static CodexTool of(Map<String, Object> a) {
        String tool = String.valueOf(OtlpAttributes.text(a.get("tool_name")));
        String namespace = OtlpAttributes.text(a.get("tool_namespace"));
        String server = OtlpAttributes.text(a.get("mcp_server"));
        if ((server == null || server.isBlank()) && namespace != null && namespace.startsWith("mcp__")) {
            server = namespace.substring("mcp__".length());
        }
        if (server != null && !server.isBlank()) {
            // the name the model calls it by, as Claude Code names MCP tools
            return new CodexTool("mcp__" + server + "__" + tool, tool, server, false);
        }
        boolean spawn = tool.equals("spawn_agent");
        return new CodexTool(tool, tool, null, spawn);
    }

    EventType[] types() {
        if (spawn) {
            return new EventType[] {EventType.SUBAGENT_SPAWN, EventType.SUBAGENT_COMPLETE,
                    EventType.SUBAGENT_FAILED};
        }
        if (mcpServer != null) {
            return new EventType[] {EventType.MCP_REQUEST, EventType.MCP_RESPONSE, EventType.MCP_ERROR};
        }
        return new EventType[] {EventType.TOOL_PRE_CALL, EventType.TOOL_POST_CALL, EventType.TOOL_ERROR};
    }
}
