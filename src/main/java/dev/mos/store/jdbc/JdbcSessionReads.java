package dev.mos.store.jdbc;

import dev.mos.model.Event;
import dev.mos.store.EventPage;
import dev.mos.store.SessionInfo;
import dev.mos.store.StoreLimits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The read side of the JDBC store: sessions and their events, served from the working set
 * ({@link SessionEventCache}) where it holds a session and from the database otherwise. Every read brings the
 * session's row first, so other processes' commits are seen as soon as they land.
 */
final class JdbcSessionReads {

    private final Database database;
    private final StoreLimits limits;
    private final SessionEventCache cache;

    JdbcSessionReads(Database database, StoreLimits limits) {
        this.database = database;
        this.limits = limits;
        this.cache = new SessionEventCache(limits.maxBytes());
    }

    Optional<SessionInfo> session(String sessionId) {
        return database.read(c -> sessionIn(c, sessionId));
    }

    List<SessionInfo> sessions() {
        return database.read(c -> {
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

    Optional<String> latestSessionId() {
        return database.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT session_id FROM sessions"
                    + " ORDER BY last_activity_ms DESC, last_event_id DESC LIMIT 1");
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
            }
        });
    }

    /** From the working set when it holds the session: one read of the session's row, plus any missing tail. */
    List<Event> events(String sessionId) {
        return database.read(c -> {
            Optional<SessionInfo> info = sessionIn(c, sessionId);
            if (info.isEmpty()) {
                cache.remove(sessionId);
                return List.<Event>of();
            }
            return eventsOf(c, info.get(), true);
        });
    }

    EventPage eventsAfter(String sessionId, long afterSequence, int limit) {
        return database.read(c -> {
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

    List<Event> recentEvents(String sessionId, int count) {
        if (count <= 0) {
            return List.of();
        }
        return database.read(c -> {
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

    /** Our own commits extend cached sessions in place (other processes' commits are read as tails). */
    void committed(List<List<Event>> results) {
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

    /** After a session was deleted. */
    void forget(String sessionId) {
        cache.remove(sessionId);
    }

    /** After sessions were expired. */
    void forgetAll() {
        cache.clear();
    }

    /**
     * The retained events as of {@code info}: from the cache (extended by the tail read from the database) when
     * it has the session, else read whole and, when {@code load}, kept; null when not cached and not {@code load}.
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

    /** Index of the first event with a sequence above {@code after} (events are contiguous and ordered). */
    private static int firstAfter(List<Event> events, long after) {
        if (events.isEmpty()) {
            return 0;
        }
        long index = after - events.getFirst().sequence() + 1;
        return (int) Math.max(0, Math.min(events.size(), index));
    }

    private static Optional<SessionInfo> sessionIn(Connection c, String sessionId) throws SQLException {
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
}
