package dev.mos.live;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * How far live delivery is behind ingestion: the relay's lag ({@link LiveFeed#lagNanos}), the fullest subscriber
 * buffer and how often a buffer overflowed (its stream then resyncs from the store).
 */
public final class LiveMetrics {

    private final LiveFeed live;

    public LiveMetrics(LiveFeed live) {
        this.live = live;
    }

    public void bindTo(MeterRegistry registry) {
        Gauge.builder("mos.stream.lag", live, l -> l.lagNanos() / 1e9).baseUnit("seconds")
                .description("Age of the oldest committed event not yet handed to the live streams (0 = caught up)")
                .register(registry);
        Gauge.builder("mos.stream.backlog", live.streams(), StreamHub::maxBacklog)
                .description("Most events waiting in any one live stream's buffer").register(registry);
        FunctionCounter.builder("mos.stream.overflows", live.streams(), StreamHub::overflows)
                .description("Live stream buffers that filled up (the stream resyncs from the store)")
                .register(registry);
    }
}
