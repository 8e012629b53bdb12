package dev.mos.bench;

import dev.mos.ingest.IngestPipeline;
import dev.mos.ingest.IngestResult;
import dev.mos.model.Event;
import dev.mos.model.NewEvent;
import dev.mos.store.memory.MemorySessionStore;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * In-process ingest throughput, one op = one event, single writer thread.
 *
 * <ul>
 *   <li>{@code accept}: an already decoded {@link NewEvent} through {@link IngestPipeline#accept} into a
 *       {@link MemorySessionStore} (1,000 events/session ring, byte budget large enough never to evict) with a
 *       {@code LiveFeed} nobody listens to and {@code IngestMetrics.NOOP}.</li>
 *   <li>{@code acceptRaw}: the same events as parsed-JSON maps through {@link IngestPipeline#acceptRaw}, i.e.
 *       decoding, validation, re-serialising the free details to JSON, then the same store path. JSON text
 *       parsing (the transport's job) is not included.</li>
 * </ul>
 *
 * Events alternate tool_pre_call / tool_post_call pairs over 100 sessions; after the first 100,000 events the
 * rings are full, so the steady state measured is "append and overwrite the oldest".
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IngestBenchmark {

    static final int SESSIONS = 100;
    /** Distinct prepared events, cycled; a power of two so the cursor is a mask. */
    static final int POOL = 1 << 16;
    static final long NEVER_EVICT = 64L << 30;

    @State(Scope.Thread)
    public static class Decoded {
        NewEvent[] events;
        IngestPipeline pipeline;
        int cursor;

        @Setup(Level.Trial)
        public void setUp() {
            events = BenchEvents.decoded(POOL, SESSIONS);
            pipeline = BenchEvents.pipeline(BenchEvents.store(1_000, NEVER_EVICT));
        }
    }

    @State(Scope.Thread)
    public static class Raw {
        /** ISO-8601 timestamp strings (what hooks usually send) or epoch-millisecond numbers. */
        @Param({"iso", "epoch"})
        public String timestamps;

        Map<String, Object>[] events;
        IngestPipeline pipeline;
        int cursor;

        @Setup(Level.Trial)
        @SuppressWarnings("unchecked")
        public void setUp() {
            events = new Map[POOL];
            for (int i = 0; i < POOL; i++) {
                events[i] = BenchEvents.raw(i, SESSIONS, timestamps.equals("iso"));
            }
            pipeline = BenchEvents.pipeline(BenchEvents.store(1_000, NEVER_EVICT));
        }
    }

    @Benchmark
    public Event accept(Decoded s) {
        return s.pipeline.accept(s.events[s.cursor++ & (POOL - 1)], "bench");
    }

    @Benchmark
    public IngestResult acceptRaw(Raw s) {
        return s.pipeline.acceptRaw(s.events[s.cursor++ & (POOL - 1)], "bench");
    }
}
