package dev.mos.store.jdbc;

import dev.mos.model.AuditEntry;
import dev.mos.model.DisplaySettings;
import dev.mos.model.Event;
import dev.mos.model.NewEvent;
import dev.mos.store.EventPage;
import dev.mos.store.SessionInfo;
import dev.mos.store.SessionStore;
import dev.mos.store.StoreLimits;
import dev.mos.store.StoreStats;
import dev.mos.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sessions and events in SQLite or PostgreSQL. Every append is committed before it returns (through the group
 * commit writer, which runs {@link EventBatchWriter}); reads ({@link JdbcSessionReads}) go to the database, so
 * several processes on one database see each other's writes as soon as they commit. Nothing is evicted for
 * memory: the byte budget bounds only the in-memory backend and the working set of reads.
 */
public final class JdbcSessionStore implements SessionStore {

    private final Database database;
    private final StoreLimits limits;
    private final GroupCommitWriter<List<NewEvent>, List<Event>> writer;
    private final AtomicLong expired = new AtomicLong();
    private final JdbcSessionReads reads;
    private volatile StoreStats lastStats;
    /** Tells other replicas' listeners apart from our own commits. */
    private final String instanceId = java.util.UUID.randomUUID().toString();
    private volatile AutoCloseable listener;
    private final JdbcAuditLog audit;
    private final JdbcSearchIndex search;

    public JdbcSessionStore(Database database, StoreLimits limits, Clock clock) {
        this.database = database;
        this.audit = new JdbcAuditLog(database);
        this.search = new JdbcSearchIndex(database);
        this.limits = limits;
        this.lastStats = new StoreStats(0, 0, 0, limits.maxBytes(), 0, 0, 0);
        this.reads = new JdbcSessionReads(database, limits);
        this.writer = new GroupCommitWriter<>("mos-group-commit", database.dataSource(),
                new EventBatchWriter(database, limits, clock, instanceId, reads::committed), 256, 15_000);
    }

    @Override
    public String backend() {
        return database.dialect().name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public Event append(NewEvent event) {
        return writer.submit(List.of(event)).getFirst();
    }

    /** All or nothing: the events are committed in one transaction, so a failed batch can be resent whole. */
    @Override
    public List<Event> appendAll(List<NewEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        return writer.submit(List.copyOf(events));
    }

    @Override
    public CompletableFuture<Event> appendAsync(NewEvent event) {
        return writer.submitAsync(List.of(event)).thenApply(List::getFirst);
    }

    @Override
    public CompletableFuture<List<Event>> appendAllAsync(List<NewEvent> events) {
        if (events.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return writer.submitAsync(List.copyOf(events));
    }

    @Override
    public Optional<SessionInfo> session(String sessionId) {
        return reads.session(sessionId);
    }

    @Override
    public List<SessionInfo> sessions() {
        return reads.sessions();
    }

    @Override
    public Optional<String> latestSessionId() {
        return reads.latestSessionId();
    }

    @Override
    public List<Event> events(String sessionId) {
        return reads.events(sessionId);
    }

    @Override
    public EventPage eventsAfter(String sessionId, long afterSequence, int limit) {
        return reads.eventsAfter(sessionId, afterSequence, limit);
    }

    @Override
    public List<Event> recentEvents(String sessionId, int count) {
        return reads.recentEvents(sessionId, count);
    }

    @Override
    public boolean configureDisplay(String sessionId, DisplaySettings s) {
        return database.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE sessions SET show_timings = ?,"
                    + " collapse_fast_ops = ?, threshold_slow_ms = ?, max_tree_depth = ?, highlight_errors = ?"
                    + " WHERE session_id = ?")) {
                ps.setBoolean(1, s.showTimings());
                ps.setBoolean(2, s.collapseFastOps());
                EventRows.setLong(ps, 3, s.thresholdSlowMs());
                ps.setInt(4, s.maxTreeDepth());
                ps.setBoolean(5, s.highlightErrors());
                ps.setString(6, sessionId);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public int expireInactiveBefore(long cutoffMs) {
        int removed = database.write(c -> {
            List<String> stale = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT session_id FROM sessions WHERE last_activity_ms < ?")) {
                ps.setLong(1, cutoffMs);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        stale.add(rs.getString(1));
                    }
                }
            }
            int count = 0;
            for (String id : stale) {
                if (deleteIn(c, id)) {
                    count++;
                }
            }
            return count;
        });
        expired.addAndGet(removed);
        if (removed > 0) {
            reads.forgetAll();
        }
        return removed;
    }

    @Override
    public boolean delete(String sessionId) {
        boolean deleted = database.write(c -> deleteIn(c, sessionId));
        reads.forget(sessionId);
        return deleted;
    }

    private static boolean deleteIn(Connection c, String sessionId) throws SQLException {
        try (PreparedStatement events = c.prepareStatement("DELETE FROM events WHERE session_id = ?");
                PreparedStatement session = c.prepareStatement("DELETE FROM sessions WHERE session_id = ?")) {
            events.setString(1, sessionId);
            events.executeUpdate();
            session.setString(1, sessionId);
            return session.executeUpdate() > 0;
        }
    }

    @Override
    public AuditEntry recordAudit(AuditEntry entry) {
        return audit.record(entry);
    }

    @Override
    public List<Event> search(String query, long beforeId, int limit) {
        return search.search(query, beforeId, limit);
    }

    @Override
    public List<AuditEntry> auditEntries(int limit) {
        return audit.newest(limit);
    }

    /** Never throws: health and metrics read this while the database may be down; they get the last good figures. */
    @Override
    public StoreStats stats() {
        try {
            lastStats = database.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), COALESCE(SUM(retained), 0),"
                        + " COALESCE(SUM(bytes), 0), COALESCE(SUM(dropped), 0) FROM sessions");
                        ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new StoreStats(rs.getInt(1), rs.getLong(2), rs.getLong(3), limits.maxBytes(),
                            rs.getLong(4), 0, expired.get());
                }
            });
        } catch (StoreUnavailableException e) {
            // keep the last figures; problem() reports the failure
        }
        return lastStats;
    }

    @Override
    public Optional<String> problem() {
        try {
            database.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT 1"); ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            });
            return Optional.empty();
        } catch (StoreUnavailableException e) {
            return Optional.of(e.getMessage());
        }
    }

    @Override
    public String description() {
        return database.description();
    }

    /**
     * Calls {@code onRemoteAppend} with the session id whenever another process commits events to the same
     * database: pushed by PostgreSQL (LISTEN/NOTIFY); for SQLite, which has no such channel, found by a cheap
     * change check a few times a second (which also reports this process's own commits).
     */
    @Override
    public synchronized void onRemoteAppend(java.util.function.Consumer<String> onRemoteAppend) {
        if (listener == null) {
            listener = database.dialect() == Dialect.POSTGRES
                    ? new PgEventListener(database, instanceId, onRemoteAppend)
                    : new SqliteChangeWatcher(database, onRemoteAppend);
        }
    }

    @Override
    public void close() {
        if (listener != null) {
            try {
                listener.close();
            } catch (Exception e) {
                // closing anyway
            }
        }
        search.close();
        writer.close();
        database.close();
    }
}
