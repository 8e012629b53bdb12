package dev.mos.ingest.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** OTLP/HTTP protobuf bodies (the opentelemetry-proto classes) into {@link OtlpLogRecord}s and counts. */
public final class OtlpProtoDecoder {

    public List<OtlpLogRecord> logs(byte[] body) {
        ExportLogsServiceRequest request;
        try {
            request = ExportLogsServiceRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new OtlpFormatException("body is not an OTLP ExportLogsServiceRequest: " + e.getMessage());
        }
        List<OtlpLogRecord> out = new ArrayList<>();
        for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
            Map<String, Object> resource = attributes(resourceLogs.getResource().getAttributesList());
            for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
                for (LogRecord record : scopeLogs.getLogRecordsList()) {
                    Map<String, Object> attributes = new HashMap<>(resource);
                    attributes.putAll(attributes(record.getAttributesList()));
                    long nanos = record.getTimeUnixNano() != 0 ? record.getTimeUnixNano()
                            : record.getObservedTimeUnixNano();
                    Object body0 = record.hasBody() ? value(record.getBody()) : null;
                    out.add(new OtlpLogRecord(attributes, nanos / 1_000_000, body0 == null ? null
                            : String.valueOf(body0)));
                }
            }
        }
        return out;
    }

    public int metricPoints(byte[] body) {
        ExportMetricsServiceRequest request;
        try {
            request = ExportMetricsServiceRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new OtlpFormatException("body is not an OTLP ExportMetricsServiceRequest: " + e.getMessage());
        }
        int points = 0;
        for (ResourceMetrics rm : request.getResourceMetricsList()) {
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                for (Metric m : sm.getMetricsList()) {
                    points += m.getSum().getDataPointsCount() + m.getGauge().getDataPointsCount()
                            + m.getHistogram().getDataPointsCount() + m.getExponentialHistogram().getDataPointsCount()
                            + m.getSummary().getDataPointsCount();
                }
            }
        }
        return points;
    }

    public int spans(byte[] body) {
        ExportTraceServiceRequest request;
        try {
            request = ExportTraceServiceRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new OtlpFormatException("body is not an OTLP ExportTraceServiceRequest: " + e.getMessage());
        }
        int spans = 0;
        for (ResourceSpans rs : request.getResourceSpansList()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                spans += ss.getSpansCount();
            }
        }
        return spans;
    }

    private static Map<String, Object> attributes(List<KeyValue> list) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (KeyValue kv : list) {
            out.put(kv.getKey(), value(kv.getValue()));
        }
        return out;
    }

    private static Object value(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> v.getBoolValue();
            case INT_VALUE -> v.getIntValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            case ARRAY_VALUE -> {
                List<Object> items = new ArrayList<>();
                v.getArrayValue().getValuesList().forEach(item -> items.add(value(item)));
                yield items;
            }
            case KVLIST_VALUE -> attributes(v.getKvlistValue().getValuesList());
            case BYTES_VALUE -> v.getBytesValue().toStringUtf8();
            default -> null;
        };
    }
}
