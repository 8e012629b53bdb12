package dev.mos.bench;

import dev.mos.ingest.IngestPipeline;
import dev.mos.store.StoreStats;
import dev.mos.store.memory.MemorySessionStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.Locale;
import javax.management.ObjectName;

/**
 * Fills a {@link MemorySessionStore} through the {@link IngestPipeline} (raw maps, as a transport hands them
 * over, so every string is its own instance as in the server) with 1,000 sessions x 1,000 realistic events,
 * then forces GC and reports the heap actually used next to the store's own estimate.
 *
 * <p>The byte budget is computed as the server would: 60% of health.maxMemoryMB (512 by default). Run with
 * {@code -Xmx512m} ({@code bench/run-memory.sh}). System properties: {@code footprint.sessions},
 * {@code footprint.events} (per session), {@code footprint.maxMemoryMB}, {@code footprint.histogram=true}
 * (print the top of a live class histogram).
 */
public final class MemoryFootprint {

    private static final double MB = 1024.0 * 1024.0;

    private MemoryFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int sessions = Integer.getInteger("footprint.sessions", 1_000);
        int perSession = Integer.getInteger("footprint.events", 1_000);
        int maxMemoryMb = Integer.getInteger("footprint.maxMemoryMB", 512);
        long budget = maxMemoryMb * 1024L * 1024L * 60 / 100;
        long total = (long) sessions * perSession;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

        System.out.printf(Locale.ROOT, "JVM %s, max heap %.0f MB, GC %s%n", Runtime.version(),
                Runtime.getRuntime().maxMemory() / MB, gcNames());
        System.out.printf(Locale.ROOT, "filling %,d sessions x %,d events = %,d events; StoreLimits(%d, %,d bytes"
                + " = 60%% of %d MB)%n", sessions, perSession, total, perSession, budget, maxMemoryMb);

        long baseline = usedAfterGc(memory);
        System.out.printf(Locale.ROOT, "baseline heap used after GC: %.1f MB%n", baseline / MB);

        MemorySessionStore store = BenchEvents.store(perSession, budget);
        IngestPipeline pipeline = BenchEvents.pipeline(store);
        long started = System.nanoTime();
        long n = 0;
        String failure = null;
        try {
            for (; n < total; n++) {
                pipeline.acceptRaw(BenchEvents.raw(n, sessions, true), "bench");
                if ((n + 1) % (total / 10) == 0) {
                    StoreStats s = store.stats();
                    System.out.printf(Locale.ROOT, "  %,11d events  heap used %6.1f MB  store estimate %6.1f MB"
                            + "  retained %,d  evicted sessions %d%n", n + 1,
                            memory.getHeapMemoryUsage().getUsed() / MB, s.estimatedBytes() / MB,
                            s.retainedEvents(), s.evictedSessions());
                }
            }
        } catch (OutOfMemoryError e) {
            failure = "OutOfMemoryError after " + n + " events: " + e.getMessage();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (failure != null) {
            System.out.println("FAILED: " + failure);
        }

        long used = usedAfterGc(memory);
        StoreStats stats = store.stats();
        long held = used - baseline;
        System.out.println();
        System.out.printf(Locale.ROOT, "ingested               %,d events in %.1f s (%,.0f events/s, "
                + "incl. building the maps)%n", n, seconds, n / seconds);
        System.out.printf(Locale.ROOT, "heap used after GC     %.1f MB (%.1f MB over baseline) of %.0f MB max%n",
                used / MB, held / MB, Runtime.getRuntime().maxMemory() / MB);
        System.out.printf(Locale.ROOT, "store estimatedBytes   %.1f MB of a %.1f MB budget%n",
                stats.estimatedBytes() / MB, budget / MB);
        System.out.printf(Locale.ROOT, "sessions / retained    %,d / %,d events%n", stats.sessions(),
                stats.retainedEvents());
        System.out.printf(Locale.ROOT, "evicted sessions       %d, dropped events %d%n", stats.evictedSessions(),
                stats.droppedEvents());
        if (stats.retainedEvents() > 0) {
            System.out.printf(Locale.ROOT, "bytes per event        real %.0f, estimated %.0f (real/estimate %.2f)%n",
                    (double) held / stats.retainedEvents(), (double) stats.estimatedBytes() / stats.retainedEvents(),
                    (double) held / stats.estimatedBytes());
        }
        boolean ok = failure == null && stats.evictedSessions() == 0 && stats.retainedEvents() == total;
        System.out.println("RESULT: " + (ok ? "PASS" : "FAIL") + " (target: " + total
                + " events retained within the heap, no eviction, no OOM)");
        if (Boolean.getBoolean("footprint.histogram")) {
            histogram();
        }
        Reference.reachabilityFence(store);
        Reference.reachabilityFence(pipeline);
        System.exit(ok ? 0 : 1);
    }

    private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static String gcNames() {
        return String.join("+", ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(b -> b.getName()).toList());
    }

    /** The top of a live class histogram (the DiagnosticCommand MBean, as jcmd GC.class_histogram). */
    private static void histogram() throws Exception {
        Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        System.out.println();
        System.out.println("live class histogram (top 20):");
        String.valueOf(text).lines().limit(23).forEach(System.out::println);
    }
}
