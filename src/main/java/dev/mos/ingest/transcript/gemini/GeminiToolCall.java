package dev.mos.ingest.transcript.gemini;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * One entry of a gemini message's {@code toolCalls} as the MOS model sees it: its kind, MCP server and tool, and its
 * outcome. Gemini's own {@code status} is not the whole outcome: a shell command that exits non-zero ran, so it is
 * {@code success}, and only its output text says {@code Exit Code: N}; a subagent that gave up is a successful
 * {@code invoke_agent} whose output says {@code Termination Reason: TIMEOUT}. Both are failures in MOS, worded as the
 * live mapping words them ({@code exit code N}, {@code subagent ended: R}).
 *
 * @param id Gemini's call id, unique in its chat
 * @param kind {@code tool}, {@code mcp} or {@code subagent} ({@code invoke_agent})
 * @param error null when the call succeeded
 * @param exitCode a shell command's non-zero exit code, else null
 * @param agentId the subagent an {@code invoke_agent} ran (its chat's {@code sessionId})
 */
record GeminiToolCall(String id, String name, String kind, String mcpServer, String mcpTool, JsonNode args,
        String output, String error, Long exitCode, String agentId, String agentName, long endMs) {

    static final String AGENT_TOOL = "invoke_agent";
    private static final Pattern EXIT = Pattern.compile("(?m)^Exit Code: (-?\\d{1,9})\\s*$");
    private static final Pattern TERMINATION = Pattern.compile("(?m)^Termination Reason: (\\w+)");
    /** Gemini's display name of an MCP tool: {@code list_sessions (mos MCP Server)}. */
    private static final Pattern MCP_DISPLAY = Pattern.compile("^(.+) \\((.+) MCP Server\\)$");

    static GeminiToolCall of(JsonNode call, long fallbackEnd) {
        String name = call.path("name").asString("");
        StringBuilder output = new StringBuilder();
        StringBuilder failure = new StringBuilder();
        for (JsonNode part : call.path("result")) {
            JsonNode response = part.path("functionResponse").path("response");
            append(output, response.path("output"));
            append(failure, response.path("error"));
        }
        String status = call.path("status").asString("");
        String error = null;
        Long exitCode = null;
        if (status.equals("error")) {
            error = !failure.isEmpty() ? failure.toString() : call.path("resultDisplay").isString()
                    ? call.path("resultDisplay").asString() : "tool call failed";
        } else if (status.equals("cancelled")) {
            error = "tool call cancelled";
        } else if (!status.equals("success") && !status.isEmpty()) {
            error = "tool call " + status;
        }
        Matcher exit = EXIT.matcher(output);
        if (error == null && name.equals("run_shell_command") && exit.find() && !exit.group(1).equals("0")) {
            exitCode = Long.parseLong(exit.group(1));
            error = "exit code " + exitCode;
        }
        String kind = "tool";
        String server = null;
        String tool = null;
        String agentId = null;
        String agentName = null;
        if (name.equals(AGENT_TOOL)) {
            kind = "subagent";
            agentId = call.path("agentId").asString(null);
            agentName = call.path("args").path("agent_name").asString(null);
            Matcher reason = TERMINATION.matcher(output);
            if (error == null && reason.find() && !reason.group(1).equalsIgnoreCase("GOAL")) {
                error = "subagent ended: " + reason.group(1);
            }
        } else if (name.startsWith("mcp_") && name.indexOf('_', 4) > 4) {
            kind = "mcp";
            Matcher display = MCP_DISPLAY.matcher(call.path("displayName").asString(""));
            if (display.matches() && name.equals("mcp_" + display.group(2) + "_" + display.group(1))) {
                server = display.group(2);
                tool = display.group(1);
            } else {
                // a server name with an underscore is ambiguous without the display name: the first one splits
                int split = name.indexOf('_', 4);
                server = name.substring(4, split);
                tool = name.substring(split + 1);
            }
        }
        long end = GeminiSessionMapper.time(call.path("timestamp"));
        return new GeminiToolCall(call.path("id").asString(null), name, kind, server, tool, call.path("args"),
                output.isEmpty() ? null : output.toString(), error, exitCode, agentId, agentName,
                end > 0 ? end : fallbackEnd);
    }

    private static void append(StringBuilder to, JsonNode text) {
        if (text.isString() && !text.asString().isEmpty()) {
            to.append(to.isEmpty() ? "" : "\n").append(text.asString());
        }
    }

    String startType() {
        return switch (kind) {
            case "mcp" -> "mcp_request";
            case "subagent" -> "subagent_spawn";
            default -> "tool_pre_call";
        };
    }

    String endType() {
        boolean ok = error == null;
        return switch (kind) {
            case "mcp" -> ok ? "mcp_response" : "mcp_error";
            case "subagent" -> ok ? "subagent_complete" : "subagent_failed";
            default -> ok ? "tool_post_call" : "tool_error";
        };
    }
}
