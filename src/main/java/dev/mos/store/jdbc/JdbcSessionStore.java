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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sessions and events in SQLite or PostgreSQL. Every append is committed before it returns (through the group
 * commit writer, which runs {@link EventBatchWriter}); reads go to the database, so several processes on one database see each other's writes as
 * soon as they commit. Nothing is evicted for memory: the byte budget bounds only the in-memory backend.
 */
public final class JdbcSessionStore implements SessionStore {

    private final Database database;
    private final StoreLimits limits;
    private final GroupCommitWriter<List<NewEvent>, List<Event>> writer;
    private final AtomicLong expired = new AtomicLong();
    private final SessionEventCache cache;
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
        this.cache = new SessionEventCache(limits.maxBytes());
        this.writer = new GroupCommitWriter<>("mos-group-commit", database.dataSource(),
                new EventBatchWriter(database, limits, clock, instanceId, this::cacheCommitted), 256, 15_000);
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
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + EventRows.SESSION_COLUMNS + " FROM sessions WHERE session_id = ?")) {
                ps.setString(1, sessionId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(EventRows.session(rs)) : Optional.<SessionInfo>empty();
                }
            }
        });
    }

    @Override
    public List<SessionInfo> sessions() {
        return read(c -> {
            List<SessionInfo> infos = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + EventRows.SESSION_COLUMNS
                    + " FROM sessions ORDER BY last_activity_ms DESC, session_id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    infos.add(EventRows.session(rs));
                }
            }
            return infos;
        });
    }

    @Override
    public Optional<String> latestSessionId() {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT session_id FROM sessions"
                    + " ORDER BY last_activity_ms DESC, last_event_id DESC LIMIT 1");
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
            }
        });
    }

    /** From the working set when it holds the session: one read of the session's row, plus any missing tail. */
    @Override
    public List<Event> events(String sessionId) {
        return read(c -> {
            Optional<SessionInfo> info = sessionIn(c, sessionId);
            if (info.isEmpty()) {
                cache.remove(sessionId);
                return List.<Event>of();
            }
            return eventsOf(c, info.get(), true);
        });
    }

    /**
     * The retained events as of {@code info}: from the cache (extended by the tail read from the database) when
     * it has the session, else read whole and, when {@code load}, kept.
     */
    private List<Event> eventsOf(Connection c, SessionInfo info, boolean load) throws SQLException {
        SessionEventCache.Entry entry = cache.usable(info);
        if (entry != null) {
            if (entry.lastSequence() == info.lastSequence() && entry.firstSequence() >= info.firstSequence()) {
                return entry.events();
            }
            List<Event> tail = entry.lastSequence() == info.lastSequence() ? List.of()
                    : range(c, info.sessionId(), entry.lastSequence(), info.lastSequence());
            List<Event> merged = cache.extend(info, entry, tail);
            if (merged != null) {
                return merged;
            }
        } else if (!load) {
            return null;
        }
        List<Event> all = range(c, info.sessionId(), Math.max(0, info.firstSequence() - 1), info.lastSequence());
        cache.put(info, all);
        return all;
    }

    private static List<Event> range(Connection c, String sessionId, long after, long upTo) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + EventRows.EVENT_COLUMNS
                + " FROM events WHERE session_id = ? AND sequence > ? AND sequence <= ? ORDER BY sequence")) {
            ps.setString(1, sessionId);
            ps.setLong(2, after);
            ps.setLong(3, upTo);
            return collect(ps);
        }
    }

    /** Our own commits extend cached sessions in place (other processes' commits are read as tails). */
    private void cacheCommitted(List<List<Event>> results) {
        Map<String, List<Event>> bySession = new HashMap<>();
        for (List<Event> request : results) {
            for (Event e : request) {
                bySession.computeIfAbsent(e.sessionId(), k -> new ArrayList<>()).add(e);
            }
        }
        bySession.forEach((sessionId, events) -> {
            events.sort(java.util.Comparator.comparingLong(Event::sequence));
            cache.appended(sessionId, events, events.getLast().sequence() - limits.maxEventsPerSession() + 1);
        });
    }

    @Override
    public EventPage eventsAfter(String sessionId, long afterSequence, int limit) {
        return read(c -> {
            Optional<SessionInfo> info = sessionIn(c, sessionId);
            if (info.isEmpty()) {
                return new EventPage(List.of(), 0, false, 0);
            }
            long last = info.get().lastSequence();
            int max = Math.max(0, limit);
            List<Event> page;
            List<Event> cached = eventsOf(c, info.get(), false);
            if (cached != null) {
                int from = firstAfter(cached, afterSequence);
                page = cached.subList(from, Math.min(cached.size(), from + max + 1));
            } else {
                try (PreparedStatement ps = c.prepareStatement("SELECT " + EventRows.EVENT_COLUMNS
                        + " FROM events WHERE session_id = ? AND sequence > ? AND sequence <= ?"
                        + " ORDER BY sequence LIMIT ?")) {
                    ps.setString(1, sessionId);
                    ps.setLong(2, afterSequence);
                    ps.setLong(3, last);
                    ps.setInt(4, max + 1);
                    page = collect(ps);
                }
            }
            boolean more = page.size() > max;
            if (more) {
                page = page.subList(0, max);
            }
            page = List.copyOf(page);
            long firstReturned = page.isEmpty() ? last + 1 : page.getFirst().sequence();
            long missed = Math.max(0, firstReturned - Math.max(afterSequence, 0) - 1);
            return new EventPage(page, missed, more, last);
        });
    }

    /** Index of the first event with a sequence above {@code after} (events are contiguous and ordered). */
    private static int firstAfter(List<Event> events, long after) {
        if (events.isEmpty()) {
            return 0;
        }
        long index = after - events.getFirst().sequence() + 1;
        return (int) Math.max(0, Math.min(events.size(), index));
    }

    @Override
    public List<Event> recentEvents(String sessionId, int count) {
        if (count <= 0) {
            return List.of();
        }
        return read(c -> {
            Optional<SessionInfo> info = sessionIn(c, sessionId);
            if (info.isEmpty()) {
                return List.<Event>of();
            }
            List<Event> cached = eventsOf(c, info.get(), false);
            if (cached != null) {
                return List.copyOf(cached.subList(Math.max(0, cached.size() - count), cached.size()));
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT " + EventRows.EVENT_COLUMNS
                    + " FROM events WHERE session_id = ? AND sequence <= ? ORDER BY sequence DESC LIMIT ?")) {
                ps.setString(1, sessionId);
                ps.setLong(2, info.get().lastSequence());
                ps.setInt(3, count);
                List<Event> newestFirst = collect(ps);
                return newestFirst.reversed();
            }
        });
    }

    @Override
    public boolean configureDisplay(String sessionId, DisplaySettings s) {
        return write(c -> {
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
        int removed = write(c -> {
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
            cache.clear();
        }
        return removed;
    }

    @Override
    public boolean delete(String sessionId) {
        boolean deleted = write(c -> deleteIn(c, sessionId));
        cache.remove(sessionId);
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
            lastStats = read(c -> {
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
            read(c -> {
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

    private Optional<SessionInfo> sessionIn(Connection c, String sessionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + EventRows.SESSION_COLUMNS + " FROM sessions WHERE session_id = ?")) {
            ps.setString(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(EventRows.session(rs)) : Optional.empty();
            }
        }
    }

    private static List<Event> collect(PreparedStatement ps) throws SQLException {
        List<Event> events = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                events.add(EventRows.event(rs));
            }
        }
        return events;
    }

    private interface SqlWork<R> {
        R run(Connection c) throws SQLException;
    }

    /**
     * Reads run in auto-commit: a SQLite transaction here would take the write lock (the pool begins IMMEDIATE).
     * Where two statements must agree (a page and its session row) the second is bounded by the first.
     */
    private <R> R read(SqlWork<R> work) {
        try (Connection c = database.dataSource().getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreUnavailableException("the database failed a read: " + JdbcErrors.describe(e), e);
        }
    }

    private <R> R write(SqlWork<R> work) {
        return inTransaction(work, "write");
    }

    private <R> R inTransaction(SqlWork<R> work, String what) {
        try (Connection c = database.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                R result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // broken connection: the pool discards it
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("the database failed a " + what + ": " + JdbcErrors.describe(e), e);
        }
    }

}
