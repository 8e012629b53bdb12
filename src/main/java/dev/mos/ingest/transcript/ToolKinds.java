package dev.mos.ingest.transcript;

import java.util.Map;

/**
 * What a transcript's tool call is in the MOS model: an Agent (or, before 2.1, Task) call is a subagent, an
 * {@code mcp__<server>__<tool>} call an MCP call with its server and tool split out, anything else a tool; and the
 * event types that start, end and fail each.
 */
final class ToolKinds {

    private ToolKinds() {
    }

    static String kindOf(String tool) {
        if (tool.equals("Agent") || tool.equals("Task")) {
            return "subagent";
        }
        return tool.startsWith("mcp__") && tool.indexOf("__", 5) > 5 ? "mcp" : "tool";
    }

    static void describe(String kind, String tool, Map<String, Object> details) {
        if (kind.equals("mcp")) {
            int split = tool.indexOf("__", 5);
            details.put("mcp_server", tool.substring(5, split));
            details.put("mcp_tool", tool.substring(split + 2));
        }
    }

    static String startType(String kind) {
        return switch (kind) {
            case "mcp" -> "mcp_request";
            case "subagent" -> "subagent_spawn";
            default -> "tool_pre_call";
        };
    }

    static String endType(String kind) {
        return switch (kind) {
            case "mcp" -> "mcp_response";
            case "subagent" -> "subagent_complete";
            default -> "tool_post_call";
        };
    }

    static String failType(String kind) {
        return switch (kind) {
            case "mcp" -> "mcp_error";
            case "subagent" -> "subagent_failed";
            default -> "tool_error";
        };
    }
}
