package dev.mos.ingest.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** OTLP/HTTP protobuf bodies (the opentelemetry-proto classes) into log records, metric points and spans. */
public final class OtlpProtoDecoder {

    private static final HexFormat HEX = HexFormat.of();

    public List<OtlpLogRecord> logs(byte[] body) {
        ExportLogsServiceRequest request;
        try {
            request = ExportLogsServiceRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new OtlpFormatException("body is not an OTLP ExportLogsServiceRequest: " + e.getMessage());
        }
        List<OtlpLogRecord> out = new ArrayList<>();
        for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
            List<KeyValue> resource = resourceLogs.getResource().getAttributesList();
            for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
                for (LogRecord record : scopeLogs.getLogRecordsList()) {
                    Map<String, Object> attributes = withResource(resource, record.getAttributesList());
                    long nanos = record.getTimeUnixNano() != 0 ? record.getTimeUnixNano()
                            : record.getObservedTimeUnixNano();
                    Object body0 = record.hasBody() ? value(record.getBody()) : null;
                    out.add(new OtlpLogRecord(attributes, nanos / 1_000_000, body0 == null ? null
                            : String.valueOf(body0), hex(record.getTraceId()), hex(record.getSpanId())));
                }
            }
        }
        return out;
    }

    public List<OtlpMetricPoint> metrics(byte[] body) {
        ExportMetricsServiceRequest request;
        try {
            request = ExportMetricsServiceRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new OtlpFormatException("body is not an OTLP ExportMetricsServiceRequest: " + e.getMessage());
        }
        List<OtlpMetricPoint> out = new ArrayList<>();
        for (ResourceMetrics rm : request.getResourceMetricsList()) {
            List<KeyValue> resource = rm.getResource().getAttributesList();
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                for (Metric m : sm.getMetricsList()) {
                    switch (m.getDataCase()) {
                        case SUM -> numbers(m, temporality(m.getSum().getAggregationTemporality()),
                                m.getSum().getDataPointsList(), resource, out);
                        case GAUGE -> numbers(m, OtlpMetricPoint.Temporality.GAUGE,
                                m.getGauge().getDataPointsList(), resource, out);
                        case HISTOGRAM -> {
                            var t = temporality(m.getHistogram().getAggregationTemporality());
                            for (HistogramDataPoint dp : m.getHistogram().getDataPointsList()) {
                                out.add(new OtlpMetricPoint(m.getName(), m.getUnit(), t, dp.getStartTimeUnixNano(),
                                        dp.getTimeUnixNano(), dp.getSum(),
                                        withResource(resource, dp.getAttributesList())));
                            }
                        }
                        default -> {
                            // exponential histograms and summaries: Claude Code sends none
                        }
                    }
                }
            }
        }
        return out;
    }

    private static void numbers(Metric m, OtlpMetricPoint.Temporality t, List<NumberDataPoint> points,
            List<KeyValue> resource, List<OtlpMetricPoint> out) {
        for (NumberDataPoint dp : points) {
            double v = dp.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? dp.getAsInt() : dp.getAsDouble();
            out.add(new OtlpMetricPoint(m.getName(), m.getUnit(), t, dp.getStartTimeUnixNano(), dp.getTimeUnixNano(),
                    v, withResource(resource, dp.getAttributesList())));
        }
    }

    private static OtlpMetricPoint.Temporality temporality(AggregationTemporality t) {
        return t == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA ? OtlpMetricPoint.Temporality.DELTA
                : OtlpMetricPoint.Temporality.CUMULATIVE;
    }

    public List<OtlpSpan> spans(byte[] body) {
        ExportTraceServiceRequest request;
        try {
            request = ExportTraceServiceRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new OtlpFormatException("body is not an OTLP ExportTraceServiceRequest: " + e.getMessage());
        }
        List<OtlpSpan> out = new ArrayList<>();
        for (ResourceSpans rs : request.getResourceSpansList()) {
            List<KeyValue> resource = rs.getResource().getAttributesList();
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span s : ss.getSpansList()) {
                    String traceId = hex(s.getTraceId());
                    String spanId = hex(s.getSpanId());
                    if (traceId == null || spanId == null) {
                        throw new OtlpFormatException("every span needs traceId and spanId");
                    }
                    boolean error = s.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
                    String message = s.getStatus().getMessage();
                    out.add(new OtlpSpan(traceId, spanId, hex(s.getParentSpanId()), s.getName(),
                            s.getStartTimeUnixNano(), s.getEndTimeUnixNano(), error,
                            message.isEmpty() ? null : message, withResource(resource, s.getAttributesList())));
                }
            }
        }
        return out;
    }

    private static String hex(ByteString id) {
        return id.isEmpty() ? null : HEX.formatHex(id.toByteArray());
    }

    private static Map<String, Object> withResource(List<KeyValue> resource, List<KeyValue> own) {
        Map<String, Object> out = new HashMap<>((resource.size() + own.size()) * 2);
        for (KeyValue kv : resource) {
            // resource attributes no mapper keeps (os.type, ...) are not copied into every record
            if (OtlpAttributes.keptFromResource(kv.getKey())) {
                Object v = value(kv.getValue());
                if (v != null) {
                    out.put(kv.getKey(), v);
                }
            }
        }
        attributes(own, out);
        return out;
    }

    private static void attributes(List<KeyValue> list, Map<String, Object> out) {
        for (KeyValue kv : list) {
            if (OtlpAttributes.UNREAD.contains(kv.getKey())) {
                continue;
            }
            Object v = value(kv.getValue());
            if (v != null) {
                out.put(kv.getKey(), v);
            }
        }
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
            case KVLIST_VALUE -> {
                Map<String, Object> kv = new LinkedHashMap<>();
                attributes(v.getKvlistValue().getValuesList(), kv);
                yield kv;
            }
            case BYTES_VALUE -> v.getBytesValue().toStringUtf8();
            default -> null;
        };
    }
}
