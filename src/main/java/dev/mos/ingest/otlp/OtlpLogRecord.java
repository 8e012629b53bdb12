package dev.mos.ingest.otlp;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * One OTLP log record, independent of the wire format it came in: its attributes (the resource's, overridden by
 * the record's own) as plain Java values, its time in epoch milliseconds (0 when absent) and its body as text.
 */
public record OtlpLogRecord(Map<String, Object> attributes, long timeMs, String body) {

    public OtlpLogRecord {
        Map<String, Object> copy = new HashMap<>();
        attributes.forEach((k, v) -> {
            if (k != null && v != null) {
                copy.put(k, v);
            }
        });
        attributes = Collections.unmodifiableMap(copy);
    }
}
