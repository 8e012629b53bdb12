package dev.mos.mcp;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** One MCP tool: its description, schemas, annotations and handler. */
public interface McpTool {

    String name();

    String description();

    /** JSON Schema of the arguments. */
    String inputSchema();

    /** JSON Schema of {@code structuredContent} on success. */
    String outputSchema();

    /** Parameter names accepted; anything else is refused with the list. */
    Set<String> parameters();

    boolean readOnly();

    /** True for tools that remove data (delete_session); shown to clients as destructiveHint. */
    default boolean destructive() {
        return false;
    }

    /** True for tools that reach systems outside MOS (configure_otel_export); shown as openWorldHint. */
    default boolean openWorld() {
        return false;
    }

    ToolResult call(ToolArguments args, ProgressSink progress);

    /**
     * The answer as a future, for tools whose work finishes later (log_event waiting for a commit): the transport
     * sends it when it completes, so no thread waits. By default {@link #call}, completed at once; exceptions may be
     * thrown or carried by the future.
     */
    default CompletionStage<ToolResult> callAsync(ToolArguments args, ProgressSink progress) {
        return CompletableFuture.completedFuture(call(args, progress));
    }

    /** True for tools that may wait (long polls): they run on a thread that may block. */
    default boolean mayBlock() {
        return false;
    }

    /**
     * True when this call waits for news on purpose (a long poll): health and the response-time metrics leave its
     * time out, since it measures the wait the caller asked for, not how fast MOS answers.
     */
    default boolean longPoll(java.util.Map<String, Object> arguments) {
        return false;
    }
}
