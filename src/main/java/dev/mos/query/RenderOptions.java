package dev.mos.query;

import dev.mos.model.DisplaySettings;

/**
 * How to render one tree: what the caller asked for merged with the session's display settings.
 * {@code maxDepth} counts root operations as depth 1.
 */
public record RenderOptions(
        boolean includeCompleted,
        int maxDepth,
        boolean showTimings,
        boolean collapseFastOps,
        long slowThresholdMs,
        boolean highlightErrors,
        long nowMs) {

    public static RenderOptions of(DisplaySettings settings, long serverSlowMs, boolean includeCompleted,
            Integer maxDepth, long nowMs) {
        int depth = maxDepth != null ? Math.min(maxDepth, settings.maxTreeDepth()) : settings.maxTreeDepth();
        return new RenderOptions(includeCompleted, depth, settings.showTimings(), settings.collapseFastOps(),
                settings.slowThresholdMs(serverSlowMs), settings.highlightErrors(), nowMs);
    }

    /** Successful operations this much faster than the slow threshold are "fast" and may be collapsed. */
    public long fastThresholdMs() {
        return Math.max(1, slowThresholdMs / 10);
    }
}
