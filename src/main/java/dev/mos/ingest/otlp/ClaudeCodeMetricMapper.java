package dev.mos.ingest.otlp;

import dev.mos.model.EventStatus;
import dev.mos.model.EventType;
import dev.mos.model.NewEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Claude Code's metric data points ({@code claude_code.cost.usage}, {@code claude_code.token.usage}, ...) into
 * timeline events of their session: one {@code task_progress} event per point, status success, on the session's
 * metrics node ({@code correlation_id} {@code otel_metrics}), with details
 * {@code {"source":"otel_metric","metric":..,"value":..,"unit":..,"model":..,"type":..}} plus the point's attributes.
 *
 * <p>{@code value} is always the change the point reports, so that summing a session's events gives its total
 * whatever the exporter's temporality: delta points are taken as they are; for a cumulative series the last value
 * is remembered per series (metric name and attributes) and the difference is recorded; a series whose start time
 * changed or whose value went down was restarted, and its value counts from zero again. Points that change
 * nothing (a delta of 0, a repeated cumulative total) are not recorded. Gauges record their reading. Metric points
 * never create LLM operations: those come from logs and traces, so tokens and cost are never counted twice.
 */
public final class ClaudeCodeMetricMapper {

    static final String METRICS_NODE = "otel_metrics";

    private final OtlpAttributes attributes;
    private final OtlpEvents events;
    private final OtlpJoins joins;

    public ClaudeCodeMetricMapper(OtlpAttributes attributes, OtlpEvents events, OtlpJoins joins) {
        this.attributes = attributes;
        this.events = events;
        this.joins = joins;
    }

    /** The event for one point, or null when the point has no session or changes nothing. */
    public NewEvent map(OtlpMetricPoint point) {
        Map<String, Object> a = point.attributes();
        String sessionId = OtlpAttributes.text(a.get("session.id"));
        if (sessionId == null || sessionId.isBlank() || Double.isNaN(point.value())
                || Double.isInfinite(point.value())) {
            return null;
        }
        double value = switch (point.temporality()) {
            case DELTA, GAUGE -> point.value();
            case CUMULATIVE -> delta(sessionId, point);
        };
        if (value == 0 && point.temporality() != OtlpMetricPoint.Temporality.GAUGE) {
            return null;
        }
        Map<String, Object> details = attributes.details(null, "otel_metric", a);
        details.put("metric", point.metric());
        if (GeminiCliOtelMapper.sentBy(point.metric(), a)) {
            details.put("agent", GeminiCliOtelMapper.AGENT); // Gemini CLI's points share this timeline
        }
        details.put("value", whole(value));
        if (point.unit() != null && !point.unit().isEmpty()) {
            details.put("unit", point.unit());
        }
        details.put("temporality", point.temporality().name().toLowerCase(java.util.Locale.ROOT));
        long at = point.timeNanos() > 0 ? point.timeNanos() / 1_000_000 : System.currentTimeMillis();
        return events.event(sessionId, EventType.TASK_PROGRESS, EventStatus.SUCCESS, at, null, null, METRICS_NODE,
                "OTel metrics", details);
    }

    public List<NewEvent> map(List<OtlpMetricPoint> points) {
        List<NewEvent> out = new ArrayList<>(points.size());
        for (OtlpMetricPoint p : points) {
            NewEvent e = map(p);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    private double delta(String sessionId, OtlpMetricPoint point) {
        String series = point.metric() + new TreeMap<>(point.attributes());
        OtlpJoins.Session s = joins.of(sessionId);
        synchronized (s) {
            double[] last = s.cumulative.get(series);
            double value = point.value();
            double delta;
            if (last == null || last[0] != point.startNanos() || value < last[1]) {
                delta = value;
            } else {
                delta = value - last[1];
            }
            if (last != null) {
                last[0] = point.startNanos();
                last[1] = value;
            } else if (s.cumulative.size() < OtlpJoins.MAX_PER_SESSION) {
                s.cumulative.put(series, new double[] {point.startNanos(), value});
            }
            return delta;
        }
    }

    /** Whole numbers as integers; fractions (cost) without the float noise a cumulative difference leaves. */
    private static Number whole(double v) {
        if (v != Math.rint(v)) {
            return Math.round(v * 1e12) / 1e12;
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? (Number) (long) v : (Number) v;
    }
}
