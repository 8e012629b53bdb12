package dev.mos.health;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Request counts, errors and total time over the last {@code buckets x bucketMs}: health should recover once a
 * burst of errors is over, which a since-start average never does.
 */
final class SlidingWindow {

    private final int buckets;
    private final long bucketMs;
    private final AtomicLongArray epochs;
    private final AtomicLongArray counts;
    private final AtomicLongArray errors;
    private final AtomicLongArray nanos;
    /** Calls whose time counts for the average (long polls wait on purpose and do not). */
    private final AtomicLongArray timed;

    SlidingWindow(int buckets, long bucketMs) {
        this.buckets = buckets;
        this.bucketMs = bucketMs;
        this.epochs = new AtomicLongArray(buckets);
        this.counts = new AtomicLongArray(buckets);
        this.errors = new AtomicLongArray(buckets);
        this.nanos = new AtomicLongArray(buckets);
        this.timed = new AtomicLongArray(buckets);
    }

    void record(long nowMs, long durationNanos, boolean error) {
        record(nowMs, durationNanos, error, true);
    }

    /** @param timedCall false for a call that waits on purpose (a long poll): counted, but not in the average */
    void record(long nowMs, long durationNanos, boolean error, boolean timedCall) {
        long epoch = nowMs / bucketMs;
        int i = (int) (epoch % buckets);
        long seen = epochs.get(i);
        if (seen != epoch && epochs.compareAndSet(i, seen, epoch)) {
            counts.set(i, 0);
            errors.set(i, 0);
            nanos.set(i, 0);
            timed.set(i, 0);
        }
        counts.incrementAndGet(i);
        if (timedCall) {
            timed.incrementAndGet(i);
            nanos.addAndGet(i, durationNanos);
        }
        if (error) {
            errors.incrementAndGet(i);
        }
    }

    /** @param timed the calls whose {@code nanos} are summed (all but long polls) */
    record Totals(long count, long errors, long timed, long nanos) {

        double errorRate() {
            return count == 0 ? 0 : (double) errors / count;
        }

        double avgMs() {
            return timed == 0 ? 0 : nanos / 1e6 / timed;
        }
    }

    Totals totals(long nowMs) {
        long current = nowMs / bucketMs;
        long count = 0;
        long errs = 0;
        long timedCalls = 0;
        long time = 0;
        for (int i = 0; i < buckets; i++) {
            if (current - epochs.get(i) < buckets) {
                count += counts.get(i);
                errs += errors.get(i);
                timedCalls += timed.get(i);
                time += nanos.get(i);
            }
        }
        return new Totals(count, errs, timedCalls, time);
    }
}
