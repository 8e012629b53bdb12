package dev.mos.mcp;

import java.util.Map;

/** What a tool returns: readable text, structured JSON matching its output schema, and whether it failed. */
public record ToolResult(String text, Map<String, Object> structured, boolean isError) {

    public static ToolResult ok(String text, Map<String, Object> structured) {
        return new ToolResult(text, structured, false);
    }

    public static ToolResult error(String message) {
        return new ToolResult(message, Map.of("error", message), true);
    }

    /** A failure the caller may retry unchanged (storage unavailable); HTTP answers it with 503. */
    public static ToolResult unavailable(String message) {
        return new ToolResult(message, Map.of("error", message, "retryable", true), true);
    }

    public boolean retryable() {
        return structured != null && Boolean.TRUE.equals(structured.get("retryable"));
    }
}
