package dev.mos.ingest.otlp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * OTLP/HTTP JSON bodies (the protobuf JSON mapping with OTLP's twists: int64 as strings or numbers, ids as hex,
 * enums as numbers or names, lowerCamelCase or original field names) into log records, metric points and spans.
 * Streams through the body with Jackson's token parser instead of building a tree first: the tree of a 1,000-record
 * batch was a third of the OTLP ingest cost.
 */
public final class OtlpJsonDecoder {

    private final JsonMapper json;

    public OtlpJsonDecoder(JsonMapper json) {
        this.json = json;
    }

    public List<OtlpLogRecord> logs(byte[] body) {
        List<OtlpLogRecord> out = new ArrayList<>();
        read(body, "resourceLogs", p -> {
            Map<String, Object> resource = new HashMap<>();
            int first = out.size();
            forEachField(p, field -> {
                switch (field) {
                    case "resource" -> readResource(p, resource);
                    case "scopeLogs", "scope_logs" -> forEachElement(p, "scopeLogs", () -> forEachField(p, f -> {
                        if (f.equals("logRecords") || f.equals("log_records")) {
                            forEachElement(p, "logRecords", () -> out.add(logRecord(p)));
                        } else {
                            p.skipChildren();
                        }
                    }));
                    default -> p.skipChildren();
                }
            });
            mergeResource(resource, out.subList(first, out.size()), OtlpLogRecord::attributes);
        });
        return out;
    }

    public List<OtlpMetricPoint> metrics(byte[] body) {
        List<OtlpMetricPoint> out = new ArrayList<>();
        read(body, "resourceMetrics", p -> {
            Map<String, Object> resource = new HashMap<>();
            int first = out.size();
            forEachField(p, field -> {
                switch (field) {
                    case "resource" -> readResource(p, resource);
                    case "scopeMetrics", "scope_metrics" -> forEachElement(p, "scopeMetrics", () -> forEachField(p,
                            f -> {
                                if (f.equals("metrics")) {
                                    forEachElement(p, "metrics", () -> metric(p, out));
                                } else {
                                    p.skipChildren();
                                }
                            }));
                    default -> p.skipChildren();
                }
            });
            mergeResource(resource, out.subList(first, out.size()), OtlpMetricPoint::attributes);
        });
        return out;
    }

    public List<OtlpSpan> spans(byte[] body) {
        List<OtlpSpan> out = new ArrayList<>();
        read(body, "resourceSpans", p -> {
            Map<String, Object> resource = new HashMap<>();
            int first = out.size();
            forEachField(p, field -> {
                switch (field) {
                    case "resource" -> readResource(p, resource);
                    case "scopeSpans", "scope_spans" -> forEachElement(p, "scopeSpans", () -> forEachField(p, f -> {
                        if (f.equals("spans")) {
                            forEachElement(p, "spans", () -> out.add(span(p)));
                        } else {
                            p.skipChildren();
                        }
                    }));
                    default -> p.skipChildren();
                }
            });
            mergeResource(resource, out.subList(first, out.size()), OtlpSpan::attributes);
        });
        return out;
    }

    // ---- the three record kinds

    private static OtlpLogRecord logRecord(JsonParser p) {
        Map<String, Object> attributes = new HashMap<>();
        long[] times = new long[2];
        Object[] bodyValue = new Object[1];
        String[] ids = new String[2];
        forEachField(p, f -> {
            switch (f) {
                case "attributes" -> attributes(p, attributes);
                case "timeUnixNano", "time_unix_nano" -> times[0] = longValue(p);
                case "observedTimeUnixNano", "observed_time_unix_nano" -> times[1] = longValue(p);
                case "body" -> bodyValue[0] = anyValue(p);
                case "traceId", "trace_id" -> ids[0] = hexId(p);
                case "spanId", "span_id" -> ids[1] = hexId(p);
                default -> p.skipChildren();
            }
        });
        long nanos = times[0] != 0 ? times[0] : times[1];
        return new OtlpLogRecord(attributes, nanos / 1_000_000, bodyValue[0] == null ? null
                : String.valueOf(bodyValue[0]), ids[0], ids[1]);
    }

    private static void metric(JsonParser p, List<OtlpMetricPoint> out) {
        String[] nameUnit = new String[2];
        List<Object[]> points = new ArrayList<>();
        OtlpMetricPoint.Temporality[] temporality = {OtlpMetricPoint.Temporality.CUMULATIVE};
        forEachField(p, f -> {
            switch (f) {
                case "name" -> nameUnit[0] = p.getString();
                case "unit" -> nameUnit[1] = p.getString();
                case "sum", "gauge", "histogram", "exponentialHistogram", "exponential_histogram", "summary" -> {
                    boolean gauge = f.equals("gauge");
                    if (gauge) {
                        temporality[0] = OtlpMetricPoint.Temporality.GAUGE;
                    }
                    forEachField(p, g -> {
                        switch (g) {
                            case "dataPoints", "data_points" -> forEachElement(p, "dataPoints",
                                    () -> points.add(dataPoint(p)));
                            case "aggregationTemporality", "aggregation_temporality" -> {
                                if (!gauge) {
                                    temporality[0] = temporality(p);
                                }
                            }
                            default -> p.skipChildren();
                        }
                    });
                }
                default -> p.skipChildren();
            }
        });
        for (Object[] dp : points) {
            @SuppressWarnings("unchecked")
            Map<String, Object> attributes = (Map<String, Object>) dp[3];
            out.add(new OtlpMetricPoint(nameUnit[0], nameUnit[1], temporality[0], (Long) dp[0], (Long) dp[1],
                    (Double) dp[2], attributes));
        }
    }

    /** {start, time, value, attributes}; a histogram or summary point counts with its sum. */
    private static Object[] dataPoint(JsonParser p) {
        Object[] dp = {0L, 0L, 0.0, new HashMap<String, Object>()};
        forEachField(p, f -> {
            switch (f) {
                case "startTimeUnixNano", "start_time_unix_nano" -> dp[0] = longValue(p);
                case "timeUnixNano", "time_unix_nano" -> dp[1] = longValue(p);
                case "asDouble", "as_double", "asInt", "as_int", "sum" -> dp[2] = doubleValue(p);
                case "attributes" -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> a = (Map<String, Object>) dp[3];
                    attributes(p, a);
                }
                default -> p.skipChildren();
            }
        });
        return dp;
    }

    private static OtlpSpan span(JsonParser p) {
        Map<String, Object> attributes = new HashMap<>();
        String[] s = new String[5]; // trace, span, parent, name, status message
        long[] times = new long[2];
        boolean[] error = new boolean[1];
        forEachField(p, f -> {
            switch (f) {
                case "traceId", "trace_id" -> s[0] = hexId(p);
                case "spanId", "span_id" -> s[1] = hexId(p);
                case "parentSpanId", "parent_span_id" -> s[2] = hexId(p);
                case "name" -> s[3] = p.getString();
                case "startTimeUnixNano", "start_time_unix_nano" -> times[0] = longValue(p);
                case "endTimeUnixNano", "end_time_unix_nano" -> times[1] = longValue(p);
                case "attributes" -> attributes(p, attributes);
                case "status" -> forEachField(p, g -> {
                    switch (g) {
                        case "code" -> {
                            String code = p.currentToken() == JsonToken.VALUE_STRING ? p.getString()
                                    : String.valueOf(p.getValueAsInt());
                            error[0] = code.equals("2") || code.equals("STATUS_CODE_ERROR");
                        }
                        case "message" -> s[4] = p.getString();
                        default -> p.skipChildren();
                    }
                });
                default -> p.skipChildren();
            }
        });
        if (s[0] == null || s[1] == null) {
            throw new OtlpFormatException("every span needs traceId and spanId");
        }
        return new OtlpSpan(s[0], s[1], s[2], s[3] == null ? "" : s[3], times[0], times[1], error[0],
                s[4] == null || s[4].isEmpty() ? null : s[4], attributes);
    }

    // ---- structure helpers

    private interface Body {
        void read(JsonParser p);
    }

    private interface Field {
        void read(String name);
    }

    private void read(byte[] body, String topField, Body element) {
        try (JsonParser p = json.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new OtlpFormatException("body must be a JSON object with " + topField);
            }
            String snake = topField.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
            forEachField(p, f -> {
                if (f.equals(topField) || f.equals(snake)) {
                    forEachElement(p, topField, () -> element.read(p));
                } else {
                    p.skipChildren();
                }
            });
            if (p.nextToken() != null) {
                throw new OtlpFormatException("body has content after its JSON object");
            }
        } catch (JacksonException e) {
            throw new OtlpFormatException("body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** Calls {@code field} with the parser on each value of the object the parser is at (null: nothing). */
    private static void forEachField(JsonParser p, Field field) {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return;
        }
        if (t != JsonToken.START_OBJECT) {
            throw new OtlpFormatException("expected a JSON object, got " + t);
        }
        String name;
        while ((name = p.nextName()) != null) {
            p.nextToken();
            field.read(name);
        }
    }

    private static void forEachElement(JsonParser p, String what, Runnable element) {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return;
        }
        if (t != JsonToken.START_ARRAY) {
            throw new OtlpFormatException(what + " must be an array");
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() == JsonToken.START_OBJECT) {
                element.run();
            } else {
                throw new OtlpFormatException(what + " must hold JSON objects");
            }
        }
    }

    private static void readResource(JsonParser p, Map<String, Object> into) {
        forEachField(p, f -> {
            if (f.equals("attributes")) {
                attributes(p, into);
            } else {
                p.skipChildren();
            }
        });
    }

    /** Resource attributes under each item's own; those no mapper keeps (os.type, ...) are skipped. */
    private static <T> void mergeResource(Map<String, Object> resource, List<T> items,
            java.util.function.Function<T, Map<String, Object>> attributes) {
        resource.keySet().removeIf(key -> !OtlpAttributes.keptFromResource(key));
        if (resource.isEmpty()) {
            return;
        }
        for (T item : items) {
            Map<String, Object> a = attributes.apply(item);
            resource.forEach(a::putIfAbsent);
        }
    }

    /** A KeyValue list into {@code into}; null values are left out. */
    static void attributes(JsonParser p, Map<String, Object> into) {
        forEachElement(p, "attributes", () -> {
            String[] key = new String[1];
            Object[] value = new Object[1];
            forEachField(p, f -> {
                switch (f) {
                    case "key" -> key[0] = p.getString();
                    case "value" -> {
                        if (key[0] != null && OtlpAttributes.UNREAD.contains(key[0])) {
                            p.skipChildren();
                        } else {
                            value[0] = anyValue(p);
                        }
                    }
                    default -> p.skipChildren();
                }
            });
            if (key[0] != null && value[0] != null && !OtlpAttributes.UNREAD.contains(key[0])) {
                into.put(key[0], value[0]);
            }
        });
    }

    /** An AnyValue as a plain Java value; int64 may come as a string or a number. */
    static Object anyValue(JsonParser p) {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        Object[] out = new Object[1];
        forEachField(p, f -> {
            switch (f) {
                case "stringValue", "string_value", "bytesValue", "bytes_value" -> out[0] = p.getValueAsString();
                case "boolValue", "bool_value" -> out[0] = p.currentToken() == JsonToken.VALUE_STRING
                        ? Boolean.parseBoolean(p.getString()) : p.getValueAsBoolean();
                case "intValue", "int_value" -> out[0] = longValue(p);
                case "doubleValue", "double_value" -> out[0] = doubleValue(p);
                case "arrayValue", "array_value" -> {
                    List<Object> items = new ArrayList<>();
                    forEachField(p, g -> {
                        if (g.equals("values")) {
                            forEachElement(p, "values", () -> items.add(anyValue(p)));
                        } else {
                            p.skipChildren();
                        }
                    });
                    out[0] = items;
                }
                case "kvlistValue", "kvlist_value" -> {
                    Map<String, Object> kv = new LinkedHashMap<>();
                    forEachField(p, g -> {
                        if (g.equals("values")) {
                            attributes(p, kv);
                        } else {
                            p.skipChildren();
                        }
                    });
                    out[0] = kv;
                }
                default -> p.skipChildren();
            }
        });
        return out[0];
    }

    private static long longValue(JsonParser p) {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            return (long) p.getDoubleValue();
        }
        if (t == JsonToken.VALUE_STRING) {
            try {
                return Long.parseLong(p.getString().trim());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        p.skipChildren();
        return 0;
    }

    private static double doubleValue(JsonParser p) {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDoubleValue();
        }
        if (t == JsonToken.VALUE_STRING) {
            try {
                return Double.parseDouble(p.getString().trim());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        p.skipChildren();
        return Double.NaN;
    }

    private static OtlpMetricPoint.Temporality temporality(JsonParser p) {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            String s = p.getString();
            return s.endsWith("DELTA") || s.equals("1") ? OtlpMetricPoint.Temporality.DELTA
                    : OtlpMetricPoint.Temporality.CUMULATIVE;
        }
        return OtlpMetricPoint.Temporality.ofOtlp(p.getValueAsInt());
    }

    /** OTLP JSON ids are hex; an empty id (a root span's parent) is no id. */
    private static String hexId(JsonParser p) {
        String s = p.getValueAsString();
        return s == null || s.isEmpty() ? null : s.toLowerCase(java.util.Locale.ROOT);
    }
}
