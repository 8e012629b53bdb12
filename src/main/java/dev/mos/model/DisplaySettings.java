package dev.mos.model;

/**
 * Per-session display preferences, honoured by the tree, the stream and exports. A null
 * {@code thresholdSlowMs} means "use the server's streaming.slowThresholdMs".
 */
public record DisplaySettings(
        boolean showTimings,
        boolean collapseFastOps,
        Long thresholdSlowMs,
        int maxTreeDepth,
        boolean highlightErrors) {

    public static final int MAX_DEPTH_LIMIT = 100;

    public static final DisplaySettings DEFAULTS = new DisplaySettings(true, false, null, 10, true);

    public DisplaySettings {
        if (maxTreeDepth < 1 || maxTreeDepth > MAX_DEPTH_LIMIT) {
            throw new IllegalArgumentException("max_tree_depth must be between 1 and " + MAX_DEPTH_LIMIT);
        }
        if (thresholdSlowMs != null && thresholdSlowMs < 0) {
            throw new IllegalArgumentException("threshold_slow_ms must not be negative");
        }
    }

    public long slowThresholdMs(long serverDefault) {
        return thresholdSlowMs != null ? thresholdSlowMs : serverDefault;
    }
}
