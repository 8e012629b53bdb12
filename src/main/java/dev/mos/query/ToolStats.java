package dev.mos.query;

/** Calls of one tool (or MCP tool) and how long the finished ones took. */
public record ToolStats(
        String tool,
        String kind,
        int calls,
        int errors,
        int running,
        double errorRate,
        long p50Ms,
        long p95Ms,
        long p99Ms,
        long avgMs,
        long maxMs) {
}
