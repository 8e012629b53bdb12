package dev.mos.bench;

import dev.mos.model.EventStatus;
import dev.mos.model.EventType;
import dev.mos.model.NewEvent;
import dev.mos.store.SessionStore;
import dev.mos.store.StoreLimits;
import dev.mos.store.jdbc.Database;
import dev.mos.store.jdbc.DatabaseUrl;
import dev.mos.store.jdbc.JdbcSessionStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Durable ingestion straight into a store (no transport): 16 threads appending one event per call (each call
 * waits for its commit; group commit batches them), then batches of 1,000 events per call, then a cold read of a
 * 10,000-event session. {@code fill:<dir> N} instead fills a data dir with N events (for the start-up time).
 *
 * <pre>java -cp "target/test-classes:$(cat target/cp.txt)" dev.mos.bench.StoreIngestBench sqlite [events]
 * java -cp ... dev.mos.bench.StoreIngestBench postgres [events]   (starts a private PostgreSQL, as the tests do)
 * java -cp ... dev.mos.bench.StoreIngestBench jdbc:postgresql://127.0.0.1:5432/mos?user=postgres [events]</pre>
 */
public final class StoreIngestBench {

    public static void main(String[] args) throws Exception {
        String target = args.length > 0 ? args[0] : "sqlite";
        if (target.startsWith("fill:")) {
            fill(Path.of(target.substring(5)), args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000);
            return;
        }
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        dev.mos.pg.PostgresServer privatePg = null;
        if (target.equals("postgres")) {
            // a throwaway PostgreSQL started like the tests start theirs (binaries from Maven)
            privatePg = dev.mos.pg.PostgresServer.startPrivate();
            target = privatePg.createDatabase();
        }
        try {
            run(target, events);
        } finally {
            if (privatePg != null) {
                privatePg.stopNow();
            }
        }
    }

    private static void run(String target, int events) throws Exception {
        StoreLimits limits = new StoreLimits(10_000_000, 1L << 40);
        Path dataDir = Files.createTempDirectory("mos-bench");
        // sqlite: storage.durability=process (the default); sqlite-power: power (an fsync per commit)
        Database db = target.startsWith("sqlite") ? Database.sqlite(dataDir, target.equals("sqlite-power"))
                : Database.postgres(DatabaseUrl.parse(target));
        try (SessionStore store = new JdbcSessionStore(db, limits, Clock.systemUTC())) {
            int threads = 16;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            single(store, pool, threads, Math.min(events, 20_000), "warmup");
            double singles = single(store, pool, threads, events, "single");
            System.out.printf(Locale.ROOT, "%s: one event per call, %d threads: %.0f events/s%n", target, threads,
                    singles);

            int batchSize = 1_000;
            List<NewEvent> batch = new ArrayList<>(batchSize);
            for (int i = 0; i < batchSize; i++) {
                batch.add(event("batch-" + (i % 16), i));
            }
            long start = System.nanoTime();
            int batches = Math.max(1, events * 2 / batchSize);
            List<Future<?>> futures = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
                futures.add(pool.submit(() -> store.appendAll(batch)));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            double batched = (double) batches * batchSize / ((System.nanoTime() - start) / 1e9);
            System.out.printf(Locale.ROOT, "%s: batches of %d, %d threads: %.0f events/s%n", target, batchSize,
                    threads, batched);

            List<NewEvent> tenK = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                tenK.add(event("cold-read", i));
            }
            for (int i = 0; i < tenK.size(); i += batchSize) {
                store.appendAll(tenK.subList(i, i + batchSize));
            }
            pool.shutdown();
        }
        // Cold: a fresh store over the same data (as after a restart) has nothing in its working set.
        Database again = target.startsWith("sqlite") ? Database.sqlite(dataDir, target.equals("sqlite-power"))
                : Database.postgres(DatabaseUrl.parse(target));
        try (SessionStore store = new JdbcSessionStore(again, limits, Clock.systemUTC())) {
            treeRead(store, "cold (first read after start)");
            treeRead(store, "warm (nothing new)");
            store.append(event("cold-read", 10_000));
            treeRead(store, "warm (one new event: tail read)");
            for (int i = 0; i < 5; i++) {
                store.append(event("cold-read", 10_001 + i));
                treeRead(store, "warm (one new event: tail read)");
            }
        }
    }

    /** Reads a session's events and builds its tree, as get_activity_tree does after its tree cache missed. */
    private static void treeRead(SessionStore store, String what) {
        long start = System.nanoTime();
        List<dev.mos.model.Event> events = store.events("cold-read");
        long read = System.nanoTime();
        dev.mos.model.TreeBuilder.build("cold-read", events, 0);
        long built = System.nanoTime();
        System.out.printf(Locale.ROOT, "tree read of a %d-event session, %s: %.1f ms (events %.1f ms, tree %.1f ms)%n",
                events.size(), what, (built - start) / 1e6, (read - start) / 1e6, (built - read) / 1e6);
    }

    /** Fills {@code <dir>/mos.db} with {@code events} events in 1,000 sessions, for the start-up measurement. */
    private static void fill(Path dir, int events) {
        try (SessionStore store = new JdbcSessionStore(Database.sqlite(dir), new StoreLimits(10_000_000, 1L << 40),
                Clock.systemUTC())) {
            List<NewEvent> batch = new ArrayList<>(1_000);
            for (int i = 0; i < events; i++) {
                batch.add(event("fill-" + (i % 1_000), i));
                if (batch.size() == 1_000) {
                    store.appendAll(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                store.appendAll(batch);
            }
            System.out.println("filled " + dir.resolve("mos.db") + " with " + events + " events");
        }
    }

    private static double single(SessionStore store, ExecutorService pool, int threads, int events, String tag)
            throws Exception {
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                for (int i = thread; i < events; i += threads) {
                    store.append(event(tag + "-" + thread, i));
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        return events / ((System.nanoTime() - start) / 1e9);
    }

    private static NewEvent event(String session, int i) {
        return new NewEvent(session, i % 2 == 0 ? EventType.TOOL_PRE_CALL : EventType.TOOL_POST_CALL,
                i % 2 == 0 ? EventStatus.STARTED : EventStatus.SUCCESS, System.currentTimeMillis(), null, null,
                "toolu_" + i / 2, "Read", null, "{\"file\":\"src/Main.java\"}", null);
    }

    private StoreIngestBench() {
    }

}
