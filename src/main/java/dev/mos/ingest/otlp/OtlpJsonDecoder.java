package dev.mos.ingest.otlp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * OTLP/HTTP JSON bodies (the protobuf mapping with OTLP's twists: int64 as strings, ids as hex) into
 * {@link OtlpLogRecord}s, and counts of metric data points and spans.
 */
public final class OtlpJsonDecoder {

    private final JsonMapper json;

    public OtlpJsonDecoder(JsonMapper json) {
        this.json = json;
    }

    public List<OtlpLogRecord> logs(byte[] body) {
        JsonNode root = parse(body, "resourceLogs");
        List<OtlpLogRecord> out = new ArrayList<>();
        for (JsonNode resourceLogs : root.path("resourceLogs")) {
            Map<String, Object> resource = attributes(resourceLogs.path("resource").path("attributes"));
            for (JsonNode scopeLogs : resourceLogs.path("scopeLogs")) {
                for (JsonNode record : scopeLogs.path("logRecords")) {
                    Map<String, Object> attributes = new HashMap<>(resource);
                    attributes.putAll(attributes(record.path("attributes")));
                    long nanos = asLong(record.path("timeUnixNano"));
                    if (nanos == 0) {
                        nanos = asLong(record.path("observedTimeUnixNano"));
                    }
                    Object body0 = value(record.path("body"));
                    out.add(new OtlpLogRecord(attributes, nanos / 1_000_000, body0 == null ? null
                            : String.valueOf(body0)));
                }
            }
        }
        return out;
    }

    /** Data points in a metrics request (they are acknowledged; see README for what is not mapped yet). */
    public int metricPoints(byte[] body) {
        JsonNode root = parse(body, "resourceMetrics");
        int points = 0;
        for (JsonNode rm : root.path("resourceMetrics")) {
            for (JsonNode sm : rm.path("scopeMetrics")) {
                for (JsonNode metric : sm.path("metrics")) {
                    for (String kind : List.of("sum", "gauge", "histogram", "exponentialHistogram", "summary")) {
                        points += metric.path(kind).path("dataPoints").size();
                    }
                }
            }
        }
        return points;
    }

    public int spans(byte[] body) {
        JsonNode root = parse(body, "resourceSpans");
        int spans = 0;
        for (JsonNode rs : root.path("resourceSpans")) {
            for (JsonNode ss : rs.path("scopeSpans")) {
                spans += ss.path("spans").size();
            }
        }
        return spans;
    }

    private JsonNode parse(byte[] body, String topField) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw new OtlpFormatException("body is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new OtlpFormatException("body must be a JSON object with " + topField);
        }
        if (!root.path(topField).isMissingNode() && !root.path(topField).isArray()) {
            throw new OtlpFormatException(topField + " must be an array");
        }
        return root;
    }

    static Map<String, Object> attributes(JsonNode list) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (JsonNode kv : list) {
            String key = kv.path("key").asString(null);
            if (key != null) {
                out.put(key, value(kv.path("value")));
            }
        }
        return out;
    }

    /** An AnyValue as a plain Java value; int64 may come as a string or a number. */
    static Object value(JsonNode v) {
        if (v == null || v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (v.has("stringValue")) {
            return v.path("stringValue").asString();
        }
        if (v.has("boolValue")) {
            return v.path("boolValue").asBoolean();
        }
        if (v.has("intValue")) {
            return asLong(v.path("intValue"));
        }
        if (v.has("doubleValue")) {
            return v.path("doubleValue").asDouble();
        }
        if (v.has("arrayValue")) {
            List<Object> items = new ArrayList<>();
            v.path("arrayValue").path("values").forEach(item -> items.add(value(item)));
            return items;
        }
        if (v.has("kvlistValue")) {
            return attributes(v.path("kvlistValue").path("values"));
        }
        if (v.has("bytesValue")) {
            return v.path("bytesValue").asString();
        }
        return null;
    }

    private static long asLong(JsonNode n) {
        if (n.isNumber()) {
            return n.asLong();
        }
        if (n.isString()) {
            try {
                return Long.parseLong(n.asString().trim());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }
}
