package dev.mos.ingest.otlp;

import java.util.Map;

/**
 * One OTLP span, independent of the wire format: ids as lower-case hex (parent null for a root), times in epoch
 * nanoseconds, whether its status is ERROR (with the status message), and its attributes over the resource's.
 */
public record OtlpSpan(String traceId, String spanId, String parentSpanId, String name, long startNanos,
        long endNanos, boolean error, String statusMessage, Map<String, Object> attributes) {

    public long startMs() {
        return startNanos / 1_000_000;
    }

    public long endMs() {
        return endNanos / 1_000_000;
    }

    public long durationMs() {
        return Math.max(0, (endNanos - startNanos) / 1_000_000);
    }
}
