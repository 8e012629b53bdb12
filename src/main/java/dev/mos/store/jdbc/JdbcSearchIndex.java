package dev.mos.store.jdbc;

import dev.mos.model.Event;
import dev.mos.store.SearchText;
import dev.mos.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's full-text index (SQLite FTS5, PostgreSQL tsvector + GIN), kept in the background: every second the
 * events after {@code search_progress} are read, their {@link SearchText} built outside any transaction, and
 * written in one short transaction. Writing an event never waits for the index; events stored before the index
 * existed are indexed the same way. Several processes may share the database: on SQLite the progress is re-read
 * under the write lock, so only one of them indexes a batch; on PostgreSQL a second indexing is a no-op. A search first catches up a
 * bounded amount, so what was just stored is usually found. Deleted events leave words behind in the index; the
 * search joins with the events and never answers with them (ids are never reused).
 */
final class JdbcSearchIndex implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JdbcSearchIndex.class);
    static final int BATCH = 500;
    private static final int CATCH_UP_BATCHES_PER_SEARCH = 20;
    /** PostgreSQL: how long a transaction older than the horizon candidate may hold the horizon back. */
    static final long HORIZON_WAIT_MS = 5 * 60_000;

    private final Database database;
    private final ScheduledExecutorService indexer;
    /** PostgreSQL: the horizon the progress moves to once it is settled; indexer thread (synchronized) only. */
    private Horizon horizonCandidate;

    JdbcSearchIndex(Database database) {
        this.database = database;
        this.indexer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mos-search-index");
            t.setDaemon(true);
            return t;
        });
        indexer.scheduleWithFixedDelay(this::indexQuietly, 2, 1, TimeUnit.SECONDS);
    }

    private void indexQuietly() {
        try {
            while (indexBatch() == BATCH) {
                // a backlog (a store older than its index, or a burst): keep going
            }
        } catch (RuntimeException e) {
            log.debug("search index: {}", e.getMessage()); // the database is down or closing: next round
        }
    }

    /** Indexes up to one batch of events; returns how many. */
    synchronized int indexBatch() {
        try (Connection c = database.dataSource().getConnection()) {
            return database.dialect() == Dialect.POSTGRES ? indexPostgres(c) : indexSqlite(c);
        } catch (SQLException e) {
            throw new StoreUnavailableException("the database failed while indexing events for search: "
                    + JdbcErrors.describe(e), e);
        }
    }

    /**
     * SQLite: one writer at a time, and an event's id is taken under the write lock, so events commit in id order
     * and everything up to the progress is indexed.
     */
    private int indexSqlite(Connection c) throws SQLException {
        long from = progress(c);
        Batch batch = read(c, "SELECT " + EventRows.EVENT_COLUMNS + " FROM events WHERE id > ? ORDER BY id LIMIT "
                + BATCH, from);
        if (batch.ids.isEmpty()) {
            return 0;
        }
        inTransaction(c, () -> {
            if (progress(c) != from) {
                return false; // another process indexed these meanwhile
            }
            write(c, "INSERT INTO event_text (rowid, body) VALUES (?, ?)", batch);
            setProgress(c, "UPDATE search_progress SET last_event_id = ? WHERE id = 1", batch.ids.getLast());
            return true;
        });
        return batch.ids.size();
    }

    /**
     * PostgreSQL: ids come from a sequence outside the transactions, so a transaction can commit a lower id after
     * a higher one was indexed. The progress is therefore a horizon below which nothing can still arrive, and
     * every round indexes the events above it that the index lacks. The horizon moves up to the highest id seen at
     * an earlier round once no transaction that began before that round is still open (every id at or below it
     * was taken by such a transaction), or after {@link #HORIZON_WAIT_MS} in any case, so that a session left idle
     * in a transaction (not one of our writers: they commit in milliseconds) cannot make every round re-read an
     * ever longer tail. Backends of other database users are not visible in pg_stat_activity; they do not write
     * events.
     */
    private int indexPostgres(Connection c) throws SQLException {
        long from = progress(c);
        Batch batch = read(c, "SELECT " + EventRows.EVENT_COLUMNS + " FROM events e WHERE e.id > ? AND NOT EXISTS"
                + " (SELECT 1 FROM event_search s WHERE s.event_id = e.id) ORDER BY e.id LIMIT " + BATCH, from);
        if (!batch.ids.isEmpty()) {
            inTransaction(c, () -> {
                write(c, "INSERT INTO event_search (event_id, doc) VALUES (?, to_tsvector('simple', ?))"
                        + " ON CONFLICT (event_id) DO NOTHING", batch);
                return true;
            });
        }
        if (batch.ids.size() < BATCH) {
            moveHorizon(c);
        }
        return batch.ids.size();
    }

    private void moveHorizon(Connection c) throws SQLException {
        if (horizonCandidate != null && candidateSettled(c, horizonCandidate)) {
            long settled = horizonCandidate.maxId;
            inTransaction(c, () -> {
                setProgress(c, "UPDATE search_progress SET last_event_id = GREATEST(last_event_id, ?) WHERE id = 1",
                        settled);
                return true;
            });
            horizonCandidate = null;
        }
        if (horizonCandidate == null) {
            // the highest id, then the time: that id committed before the time, and lower ones were taken earlier
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT (SELECT COALESCE(max(id), 0) FROM events), clock_timestamp()");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                horizonCandidate = new Horizon(rs.getLong(1), rs.getTimestamp(2), System.nanoTime());
            }
        }
    }

    private static boolean candidateSettled(Connection c, Horizon h) throws SQLException {
        if (System.nanoTime() - h.seenNanos > TimeUnit.MILLISECONDS.toNanos(HORIZON_WAIT_MS)) {
            return true;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity"
                + " WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start < ?)")) {
            ps.setTimestamp(1, h.at);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static Batch read(Connection c, String sql, long from) throws SQLException {
        Batch batch = new Batch(new ArrayList<>(BATCH), new ArrayList<>(BATCH));
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, from);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Event e = EventRows.event(rs);
                    batch.ids.add(e.id());
                    batch.texts.add(SearchText.of(e)); // built here, outside the writing transaction
                }
            }
        }
        return batch;
    }

    private static void write(Connection c, String insert, Batch batch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insert)) {
            for (int i = 0; i < batch.ids.size(); i++) {
                ps.setLong(1, batch.ids.get(i));
                ps.setString(2, batch.texts.get(i));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void setProgress(Connection c, String sql, long lastEventId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, lastEventId);
            ps.executeUpdate();
        }
    }

    /** Runs the work in one transaction; it returns false to roll back. */
    private static void inTransaction(Connection c, Work work) throws SQLException {
        c.setAutoCommit(false);
        try {
            if (work.run()) {
                c.commit();
            } else {
                c.rollback();
            }
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private interface Work {
        boolean run() throws SQLException;
    }

    private record Batch(List<Long> ids, List<String> texts) {
    }

    /** The highest event id seen at a round, when (database clock), and when by our clock. */
    private record Horizon(long maxId, Timestamp at, long seenNanos) {
    }

    private static long progress(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT last_event_id FROM search_progress WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    List<Event> search(String query, long beforeId, int limit) {
        List<String> words = SearchText.words(query);
        if (words.isEmpty()) {
            return List.of();
        }
        for (int i = 0; i < CATCH_UP_BATCHES_PER_SEARCH && indexBatch() == BATCH; i++) {
            // what was just stored is findable; a long backlog is the background's
        }
        String columns = java.util.Arrays.stream(EventRows.EVENT_COLUMNS.split(","))
                .map(column -> "e." + column.strip()).collect(Collectors.joining(", "));
        String sql;
        String match;
        if (database.dialect() == Dialect.POSTGRES) {
            match = words.stream().map(w -> w + ":*").collect(Collectors.joining(" & "));
            sql = "SELECT " + columns + " FROM events e JOIN event_search s ON s.event_id = e.id"
                    + " WHERE s.doc @@ to_tsquery('simple', ?) AND e.id < ? ORDER BY e.id DESC LIMIT ?";
        } else {
            match = words.stream().map(w -> "\"" + w + "\"*").collect(Collectors.joining(" "));
            sql = "SELECT " + columns + " FROM events e WHERE e.id IN (SELECT rowid FROM event_text"
                    + " WHERE event_text MATCH ? AND rowid < ? ORDER BY rowid DESC LIMIT ?) ORDER BY e.id DESC";
        }
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, match);
            ps.setLong(2, beforeId);
            ps.setInt(3, database.dialect() == Dialect.POSTGRES ? limit : limit * 2); // deleted events' words
            List<Event> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && found.size() < limit) {
                    found.add(EventRows.event(rs));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new StoreUnavailableException("the database failed to search: " + JdbcErrors.describe(e), e);
        }
    }

    @Override
    public void close() {
        indexer.shutdownNow();
        try {
            indexer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
