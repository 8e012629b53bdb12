package dev.mos.model;

import java.util.HashSet;
import java.util.Set;

/**
 * What a session did, counted over its operations: tool calls (and distinct tools), MCP calls, subagents,
 * tasks, failed operations, and the wall-clock span from first start to last end.
 */
public record SessionMetrics(
        int toolCalls,
        int distinctTools,
        int mcpCalls,
        int subagents,
        int tasks,
        int errors,
        int running,
        long totalDurationMs) {

    public static SessionMetrics of(ActivityTree tree, long nowMs) {
        int[] counts = new int[OperationKind.values().length];
        int[] errors = {0};
        long[] span = {Long.MAX_VALUE, Long.MIN_VALUE};
        Set<String> tools = new HashSet<>();
        tree.forEach(node -> {
            counts[node.kind().ordinal()]++;
            if (node.kind() == OperationKind.TOOL) {
                tools.add(node.name());
            }
            if (node.status() == OperationStatus.ERROR || node.status() == OperationStatus.TIMEOUT) {
                errors[0]++;
            }
            span[0] = Math.min(span[0], node.startMs());
            span[1] = Math.max(span[1], node.endMs() != null ? node.endMs() : nowMs);
        });
        long total = span[0] == Long.MAX_VALUE ? 0 : Math.max(0, span[1] - span[0]);
        return new SessionMetrics(counts[OperationKind.TOOL.ordinal()], tools.size(),
                counts[OperationKind.MCP.ordinal()], counts[OperationKind.SUBAGENT.ordinal()],
                counts[OperationKind.TASK.ordinal()], errors[0], tree.runningCount(), total);
    }
}
