package dev.mos.ingest.otlp;

import java.util.Map;

/**
 * One data point of an OTLP metric: a sum or gauge value, or a histogram's sum, with the metric's name, unit and
 * temporality, and the point's attributes over the resource's.
 */
public record OtlpMetricPoint(String metric, String unit, Temporality temporality, long startNanos, long timeNanos,
        double value, Map<String, Object> attributes) {

    /** How a point's value relates to earlier points of its series. */
    public enum Temporality {
        /** The change since the previous export. */
        DELTA,
        /** The running total since {@code startNanos}. */
        CUMULATIVE,
        /** A current reading, not a count. */
        GAUGE;

        /** OTLP's AggregationTemporality number (1 delta, 2 cumulative); unspecified counts as cumulative. */
        static Temporality ofOtlp(int number) {
            return number == 1 ? DELTA : CUMULATIVE;
        }
    }
}
