package dev.mos.bench;

import dev.mos.health.IngestCounters;
import dev.mos.ingest.EventDecoder;
import dev.mos.ingest.IngestPipeline;
import dev.mos.ingest.hooks.AgentLinks;
import dev.mos.ingest.otlp.OtlpReceiver;
import dev.mos.ingest.privacy.Redactor;
import dev.mos.live.LiveFeed;
import dev.mos.store.StoreLimits;
import dev.mos.store.memory.MemorySessionStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import tools.jackson.databind.json.JsonMapper;

/**
 * In-process OTLP log ingestion, no HTTP: {@link OtlpReceiver#logs} (decode, map, store into the memory store) on
 * the batches of {@link OtlpLoadDriver}, one thread. Separates the receiver's own cost from the transport's, and
 * reports records per CPU-second of the ingesting thread too, which a machine shared with other jobs distorts
 * less than wall-clock rates (it still counts the JIT's and GC's effects on this thread, not their own threads).
 *
 * <pre>java -cp "target/test-classes:target/classes:$(cat target/cp.txt)" dev.mos.bench.OtlpIngestBench \
 *     protobuf|json [runs=5] [secondsPerRun=3]</pre>
 */
public final class OtlpIngestBench {

    public static void main(String[] args) {
        boolean protobuf = args.length == 0 || args[0].startsWith("proto");
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        JsonMapper json = JsonMapper.builder().build();
        Clock clock = Clock.systemUTC();
        MemorySessionStore store = new MemorySessionStore(new StoreLimits(10_000, 256L << 20), clock);
        LiveFeed live = new LiveFeed();
        IngestPipeline pipeline = new IngestPipeline(new EventDecoder(json, clock), store, live,
                new IngestCounters(new SimpleMeterRegistry()));
        OtlpReceiver receiver = OtlpReceiver.create(json, Redactor.defaults(), new AgentLinks(), "bench", pipeline,
                clock);
        byte[][] bodies = OtlpLoadDriver.bodies(protobuf, 1000);
        double[] rates = new double[runs + 1];
        double[] perCpu = new double[runs + 1];
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int run = 0; run <= runs; run++) {
            long records = 0;
            long cpuStart = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            int n = 0;
            while (System.nanoTime() < end) {
                records += receiver.logs(bodies[n++ % bodies.length], protobuf).accepted();
            }
            rates[run] = records / ((System.nanoTime() - start) / 1e9);
            perCpu[run] = records / ((threads.getCurrentThreadCpuTime() - cpuStart) / 1e9);
            System.out.printf(Locale.ROOT, "%s %d: %.0f log records/s wall, %.0f per CPU-second of this thread%n",
                    run == 0 ? "warm-up" : "run", run, rates[run], perCpu[run]);
        }
        double[] measured = Arrays.copyOfRange(rates, 1, rates.length);
        double[] measuredCpu = Arrays.copyOfRange(perCpu, 1, perCpu.length);
        Arrays.sort(measured);
        Arrays.sort(measuredCpu);
        System.out.printf(Locale.ROOT, "median: %.0f log records/s wall, %.0f per CPU-second (%s, one thread)%n",
                measured[runs / 2], measuredCpu[runs / 2], protobuf ? "protobuf" : "JSON");
        live.close();
        store.close();
    }
}
