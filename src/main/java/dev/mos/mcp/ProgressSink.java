package dev.mos.mcp;

/** Where a long-running tool reports progress: MCP progress notifications, or nowhere. */
@FunctionalInterface
public interface ProgressSink {

    ProgressSink NONE = (progress, message) -> {
    };

    void progress(double progress, String message);

    default boolean active() {
        return this != NONE;
    }
}
