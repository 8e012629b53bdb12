package dev.mos.health;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every tool call's outcome and time: Micrometer timers per tool (exported on /metrics, with percentiles), a
 * sliding window for the health verdict, and the most recent errors.
 */
public final class RequestStats {

    private static final int RECENT_ERRORS = 20;

    public record RecentError(String timestamp, String method, String message) {
    }

    private record MethodStats(Timer ok, Timer failed, LongAdder count, LongAdder errors) {
    }

    private final MeterRegistry registry;
    private final Clock clock;
    private final SlidingWindow window = new SlidingWindow(30, 10_000);
    private final ConcurrentHashMap<String, MethodStats> methods = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();
    private final ArrayDeque<RecentError> recentErrors = new ArrayDeque<>();

    public RequestStats(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    public void record(String method, long durationNanos, String errorMessage) {
        record(method, durationNanos, errorMessage, false);
    }

    /**
     * @param longPoll the call waited for news on purpose (stream_activity with wait_ms): it counts for the error
     *     rate, but its time says nothing about how fast MOS answers, so it stays out of the average response time
     */
    public void record(String method, long durationNanos, String errorMessage, boolean longPoll) {
        boolean error = errorMessage != null;
        MethodStats stats = methods.computeIfAbsent(method, this::register);
        (error ? stats.failed : stats.ok).record(durationNanos, TimeUnit.NANOSECONDS);
        stats.count.increment();
        total.increment();
        if (error) {
            stats.errors.increment();
            synchronized (recentErrors) {
                if (recentErrors.size() == RECENT_ERRORS) {
                    recentErrors.removeFirst();
                }
                recentErrors.addLast(new RecentError(clock.instant().toString(), method, errorMessage));
            }
        }
        window.record(clock.millis(), durationNanos, error, !longPoll);
    }

    private MethodStats register(String method) {
        return new MethodStats(timer(method, "success"), timer(method, "error"), new LongAdder(), new LongAdder());
    }

    private Timer timer(String method, String outcome) {
        return Timer.builder("mos.tool.calls").description("MCP tool calls by tool and outcome")
                .tag("tool", method).tag("outcome", outcome)
                .publishPercentiles(0.5, 0.95, 0.99).register(registry);
    }

    public long totalRequests() {
        return total.sum();
    }

    /** Calls, errors and time over health's window (the last five minutes). */
    SlidingWindow.Totals recent() {
        return window.totals(clock.millis());
    }

    /** Per method: count, errors, average and p95 time (both over outcomes, from the timers' recent window). */
    public Map<String, Object> methodBreakdown() {
        Map<String, Object> out = new LinkedHashMap<>();
        methods.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            MethodStats s = e.getValue();
            long count = s.count.sum();
            double totalMs = s.ok.totalTime(TimeUnit.MILLISECONDS) + s.failed.totalTime(TimeUnit.MILLISECONDS);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("count", count);
            m.put("errors", s.errors.sum());
            m.put("error_rate", count == 0 ? 0 : round((double) s.errors.sum() / count));
            m.put("avg_ms", count == 0 ? 0 : round(totalMs / count));
            m.put("p95_ms", round(percentile(s.ok, 0.95)));
            m.put("max_ms", round(Math.max(s.ok.max(TimeUnit.MILLISECONDS), s.failed.max(TimeUnit.MILLISECONDS))));
            out.put(e.getKey(), m);
        });
        return out;
    }

    /** p50/p95/p99 of successful calls over all methods, as recent as the timers' decay window. */
    public Map<String, Object> responseTimePercentiles() {
        double p50 = 0;
        double p95 = 0;
        double p99 = 0;
        for (MethodStats s : methods.values()) {
            p50 = Math.max(p50, percentile(s.ok, 0.5));
            p95 = Math.max(p95, percentile(s.ok, 0.95));
            p99 = Math.max(p99, percentile(s.ok, 0.99));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("p50_ms_worst_method", round(p50));
        out.put("p95_ms_worst_method", round(p95));
        out.put("p99_ms_worst_method", round(p99));
        out.put("avg_ms_recent", round(recent().avgMs()));
        return out;
    }

    private static double percentile(Timer timer, double p) {
        for (ValueAtPercentile v : timer.takeSnapshot().percentileValues()) {
            if (Math.abs(v.percentile() - p) < 1e-9) {
                return v.value(TimeUnit.MILLISECONDS);
            }
        }
        return 0;
    }

    public List<RecentError> recentErrors() {
        synchronized (recentErrors) {
            return new ArrayList<>(recentErrors);
        }
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
