package dev.mos.store.jdbc;

import dev.mos.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;

/**
 * Group commit: callers queue their writes and wait; one thread takes everything queued so far, writes it in one
 * transaction and completes every caller only after the commit. Under load one fsync covers many events; alone, a
 * caller waits for just its own commit. Callers may wait ({@link #submit}) or take a future ({@link #submitAsync})
 * so that no thread of theirs is held while the commit happens.
 */
final class GroupCommitWriter<T, R> implements AutoCloseable {

    /** Writes one batch inside an open transaction and returns one result per item, in order. */
    interface BatchWork<T, R> {
        List<R> write(Connection connection, List<T> batch) throws SQLException;

        /**
         * After a commit whose answer was lost with its connection: whether the batch's rows are in the database,
         * asked on a fresh connection. All or nothing, so one row can tell. False when it cannot be known.
         */
        default boolean landed(Connection fresh, List<T> batch, List<R> results) throws SQLException {
            return false;
        }

        /** Called on the writer thread once the batch is known to be committed, before anyone is told. */
        default void committed(List<T> batch, List<R> results) {
        }
    }

    /** {@code queuedAt}: {@link System#nanoTime} when the caller handed it over, for the commit deadline. */
    private record Pending<T, R>(T item, CompletableFuture<R> result, long queuedAt) {
    }

    private final DataSource dataSource;
    private final BatchWork<T, R> work;
    private final int maxBatch;
    private final long waitMs;
    private final BlockingQueue<Pending<T, R>> queue;
    private final Thread thread;
    /**
     * Completes callers' futures after each commit, so that whatever they chain (answers to clients, live
     * publishing) never holds up the next transaction, and answers leave from one thread in commit order.
     */
    private final ScheduledExecutorService acks;
    private volatile boolean closed;
    /** The batch the writer thread is writing, for the deadline check; empty between batches. */
    private volatile List<Pending<T, R>> inFlight = List.of();
    /**
     * The writer's connection, kept while writes keep coming (its prepared statements are reused across commits)
     * and handed back to the pool when the queue has been empty for a poll interval, or after any failure.
     * Touched by the writer thread only.
     */
    private Connection held;

    GroupCommitWriter(String name, DataSource dataSource, BatchWork<T, R> work, int maxBatch, long waitMs) {
        this.dataSource = dataSource;
        this.work = work;
        this.maxBatch = maxBatch;
        this.waitMs = waitMs;
        // Bounded: when the database cannot keep up, callers block here (back-pressure) instead of piling up.
        this.queue = new ArrayBlockingQueue<>(maxBatch * 4);
        this.acks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-ack");
            t.setDaemon(true);
            return t;
        });
        // One periodic check for the whole writer rather than a timer per call: a per-future timeout
        // (CompletableFuture.orTimeout) hands work to the JDK's delay-scheduler thread twice per write (set, then
        // cancelled): ~6 % of a cold stdio server's CPU under load, half the context switches of a /hooks request.
        long tick = Math.clamp(waitMs / 4, 10, 1_000);
        acks.scheduleWithFixedDelay(this::failOverdue, tick, tick, TimeUnit.MILLISECONDS);
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues the item and waits for its commit; throws {@link StoreUnavailableException} if it did not happen. */
    R submit(T item) {
        CompletableFuture<R> result = submitAsync(item);
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for the store");
        } catch (ExecutionException e) {
            throw unavailable(e.getCause());
        }
    }

    /**
     * Queues the item; the future completes (on the acknowledgment thread, never on the writer) only after the
     * commit that holds it, or fails with a {@link StoreUnavailableException} if that commit did not happen or
     * did not happen within {@code waitMs} (give or take a quarter of it). Blocks only while the queue is full
     * (back-pressure), at most {@code waitMs}.
     */
    CompletableFuture<R> submitAsync(T item) {
        if (closed) {
            return CompletableFuture.failedFuture(new StoreUnavailableException("the store is closed"));
        }
        CompletableFuture<R> result = new CompletableFuture<>();
        try {
            if (!queue.offer(new Pending<>(item, result, System.nanoTime()), waitMs, TimeUnit.MILLISECONDS)) {
                return CompletableFuture.failedFuture(new StoreUnavailableException(
                        "the store is not keeping up: write queue full for " + waitMs + " ms"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(
                    new StoreUnavailableException("interrupted while waiting for the store"));
        }
        return result;
    }

    /**
     * On the acknowledgment thread: fails every caller whose commit has not happened within {@code waitMs}, in
     * the batch being written (its commit may still land) and in the queue (never written: the writer skips
     * callers already answered, so a caller told of a failure can retry without storing twice).
     */
    private void failOverdue() {
        long now = System.nanoTime();
        long limit = TimeUnit.MILLISECONDS.toNanos(waitMs);
        List<Pending<T, R>> overdue = new ArrayList<>();
        for (Pending<T, R> p : inFlight) {
            if (now - p.queuedAt() > limit) {
                overdue.add(p);
            }
        }
        for (Pending<T, R> p : queue) {
            if (now - p.queuedAt() <= limit) {
                break; // queued in order (within the moments between nanoTime and offer): the rest are younger
            }
            overdue.add(p);
        }
        if (!overdue.isEmpty()) {
            StoreUnavailableException failure =
                    new StoreUnavailableException("the store did not commit within " + waitMs + " ms");
            overdue.forEach(p -> p.result().completeExceptionally(failure));
        }
    }

    private static StoreUnavailableException unavailable(Throwable cause) {
        if (cause instanceof StoreUnavailableException unavailable) {
            return unavailable;
        }
        return new StoreUnavailableException("write failed: " + cause, cause);
    }

    private void run() {
        List<Pending<T, R>> batch = new ArrayList<>(maxBatch);
        while (!closed || !queue.isEmpty()) {
            try {
                Pending<T, R> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    release();
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                batch.removeIf(p -> p.result().isDone()); // answered already: overdue while queued
                if (!batch.isEmpty()) {
                    // one immutable copy, read by the deadline check meanwhile and acknowledged after the commit
                    List<Pending<T, R>> writing = List.copyOf(batch);
                    inFlight = writing;
                    writeBatch(writing);
                }
            } catch (InterruptedException e) {
                if (closed) {
                    break;
                }
            } finally {
                inFlight = List.of();
                batch.clear();
            }
        }
        release();
        Pending<T, R> left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new StoreUnavailableException("the store is closed"));
        }
    }

    /** {@code batch}: immutable, since the acknowledgment thread completes it after this returns. */
    private void writeBatch(List<Pending<T, R>> batch) {
        List<T> items = new ArrayList<>(batch.size());
        batch.forEach(p -> items.add(p.item()));
        Connection c;
        List<R> results;
        try {
            c = connection();
        } catch (SQLException | RuntimeException e) {
            fail(batch, "the database refused the write: " + JdbcErrors.describe(e), e);
            return;
        }
        try {
            results = work.write(c, items);
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c);
            release();
            fail(batch, "the database refused the write: " + JdbcErrors.describe(e), e);
            return;
        }
        try {
            c.commit();
        } catch (SQLException | RuntimeException e) {
            release();
            // The connection broke during the commit: the transaction may or may not have landed. Ask again
            // on a fresh connection rather than inviting a retry that would store everything twice.
            Outcome outcome = outcomeAfterFailedCommit(items, results);
            if (outcome != Outcome.COMMITTED) {
                fail(batch, (outcome == Outcome.ROLLED_BACK ? "the commit failed: "
                        : "the commit failed and whether it landed could not be checked: ")
                        + JdbcErrors.describe(e), e);
                return;
            }
        }
        try {
            // Ends the transaction a driver may open right after a commit: SQLite's begins IMMEDIATE, which
            // would hold the file's write lock against other processes until our next batch.
            c.setAutoCommit(true);
        } catch (SQLException | RuntimeException e) {
            release();
        }
        try {
            work.committed(items, results);
        } catch (RuntimeException e) {
            // bookkeeping only (a cache): the commit stands and is acknowledged
        }
        acks.execute(() -> {
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(results.get(i));
            }
        });
    }

    enum Outcome { COMMITTED, ROLLED_BACK, UNKNOWN }

    /** Up to three looks, half a second apart, on fresh connections (the database may be coming back). */
    private Outcome outcomeAfterFailedCommit(List<T> items, List<R> results) {
        for (int attempt = 0; attempt < 3 && !closed; attempt++) {
            try (Connection fresh = dataSource.getConnection()) {
                fresh.setAutoCommit(true);
                return work.landed(fresh, items, results) ? Outcome.COMMITTED : Outcome.ROLLED_BACK;
            } catch (SQLException | RuntimeException e) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return Outcome.UNKNOWN;
    }

    private void fail(List<Pending<T, R>> batch, String reason, Throwable cause) {
        StoreUnavailableException failure = new StoreUnavailableException(reason, cause);
        acks.execute(() -> batch.forEach(p -> p.result().completeExceptionally(failure)));
    }

    private Connection connection() throws SQLException {
        if (held == null) {
            held = dataSource.getConnection();
        }
        try {
            held.setAutoCommit(false);
        } catch (SQLException | RuntimeException e) {
            release();
            throw e;
        }
        return held;
    }

    private void release() {
        if (held != null) {
            try {
                held.close();
            } catch (SQLException ignored) {
                // the pool discards a broken connection
            }
            held = null;
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            thread.join(10_000);
            acks.shutdown();
            acks.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
