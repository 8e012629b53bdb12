package dev.mos.ingest.otlp;

import java.util.Map;

/**
 * One OTLP log record, independent of the wire format it came in: its attributes (the resource's, overridden by
 * the record's own) as plain Java values without nulls, its time in epoch milliseconds (0 when absent), its body as
 * text, and the trace and span it was logged in (lower-case hex, null when absent). The decoders hand over a map
 * they built for this record alone, so it is not copied again.
 */
public record OtlpLogRecord(Map<String, Object> attributes, long timeMs, String body, String traceId,
        String spanId) {

    public OtlpLogRecord(Map<String, Object> attributes, long timeMs, String body) {
        this(attributes, timeMs, body, null, null);
    }
}
