package dev.mos.bench;

import dev.mos.health.IngestCounters;
import dev.mos.ingest.EventDecoder;
import dev.mos.ingest.IngestPipeline;
import dev.mos.ingest.hooks.AgentLinks;
import dev.mos.ingest.hooks.HookEventMapper;
import dev.mos.ingest.hooks.HookReceiver;
import dev.mos.ingest.privacy.CapturePolicy;
import dev.mos.live.LiveFeed;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * CPU time (not wall time, so that a loaded machine does not distort it) of each stage of a {@code POST /hooks}
 * request in-process, on the payloads of {@code bench/hooks.lua}: JSON parse, mapping, the pipeline's decoding,
 * and the whole receiver into a memory store. Prints the median of 7 rounds of 200,000 payloads per stage.
 *
 * <p>Run: {@code bench/run-jmh.sh} builds the classpath; then
 * {@code $JAVA_HOME/bin/java -cp "target/classes:target/test-classes:$(cat target/cp.txt)" dev.mos.bench.HooksCpuProfile}
 */
public final class HooksCpuProfile {

    private HooksCpuProfile() {
    }

    public static void main(String[] args) {
        HooksBenchmark.Payloads p = new HooksBenchmark.Payloads();
        p.setUp();
        JsonMapper json = p.json;
        CapturePolicy capture = CapturePolicy.defaults();
        HookEventMapper mapper = new HookEventMapper(json, capture, new AgentLinks());
        EventDecoder decoder = new EventDecoder(json, Clock.systemUTC(), capture.redactor());
        HookReceiver receiver = new HookReceiver(new HookEventMapper(json, capture, new AgentLinks()),
                new IngestPipeline(new EventDecoder(json, Clock.systemUTC(), capture.redactor()),
                        BenchEvents.store(1_000, 64L << 30), new LiveFeed(),
                        new IngestCounters(new SimpleMeterRegistry())));
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        report("parse", mx, () -> json.readValue(p.next(), Map.class));
        report("parse+map", mx, () -> mapper.map(json.readValue(p.next(), Map.class)));
        report("parse+map+decode", mx, () -> {
            List<Map<String, Object>> events = mapper.map(json.readValue(p.next(), Map.class));
            for (Map<String, Object> e : events) {
                decoder.decode(e);
            }
        });
        report("receiver into memory store", mx, () -> receiver.accept(json.readValue(p.next(), Map.class),
                "hooks"));
    }

    private static void report(String stage, ThreadMXBean mx, Runnable op) {
        int rounds = 7;
        int n = 200_000;
        long[] perOp = new long[rounds];
        for (int i = 0; i < n; i++) {
            op.run(); // warm-up
        }
        for (int r = 0; r < rounds; r++) {
            long start = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                op.run();
            }
            perOp[r] = (mx.getCurrentThreadCpuTime() - start) / n;
        }
        java.util.Arrays.sort(perOp);
        System.out.printf("%-30s median %6d ns CPU per payload (min %d, max %d)%n", stage, perOp[rounds / 2],
                perOp[0], perOp[rounds - 1]);
    }
}
