package dev.mos.store.jdbc;

import dev.mos.model.Event;
import dev.mos.model.NewEvent;
import dev.mos.store.StoreLimits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The write side of the JDBC store, run by its group-commit writer on one thread: a batch of append requests
 * becomes one transaction (ids and sequences reserved, events inserted, sessions trimmed to maxEventsPerSession,
 * other replicas notified); after a commit whose answer was lost it tells whether the batch landed.
 */
final class EventBatchWriter implements GroupCommitWriter.BatchWork<List<NewEvent>, List<Event>> {

    /**
     * Reserves a session's next sequences and records its activity (and its newest event id) in one statement. A
     * new session gets its project, sender and agent here; an existing one keeps them out of the SET list, because
     * SQLite rewrites an indexed column's index page on every assignment, even of the same value: three such
     * COALESCEs cost three of a commit's eight WAL frames. They are returned instead, and {@link #FILL_IN} sets
     * the ones a session still lacks, once.
     */
    private static final String UPSERT_SESSION = "INSERT INTO sessions (session_id, created_ms, last_activity_ms,"
            + " last_event_id, first_sequence, last_sequence, retained, dropped, bytes, project, sender, agent)"
            + " VALUES (?, ?, ?, ?, 1, ?, ?, 0, ?, ?, ?, ?)"
            + " ON CONFLICT (session_id) DO UPDATE SET"
            + " last_sequence = sessions.last_sequence + excluded.last_sequence,"
            + " last_activity_ms = excluded.last_activity_ms, last_event_id = excluded.last_event_id,"
            + " retained = sessions.retained + excluded.retained, bytes = sessions.bytes + excluded.bytes"
            + " RETURNING last_sequence, retained, project, sender, agent";
    /** The first project, sender and agent named, for a session that had none of one of them. */
    private static final String FILL_IN = "UPDATE sessions SET project = COALESCE(project, ?),"
            + " sender = COALESCE(sender, ?), agent = COALESCE(agent, ?) WHERE session_id = ?";

    /**
     * Event ids come from the database's own counter, reserved inside the write transaction (which holds SQLite's
     * write lock, and PostgreSQL's sequence never repeats), so several processes never share one. SQLite's
     * AUTOINCREMENT counter then advances past the ids we insert, and a deleted id is never reused.
     */
    private static final String RESERVE_IDS_SQLITE = "SELECT seq FROM sqlite_sequence WHERE name = 'events'";
    private static final String RESERVE_IDS_POSTGRES = "SELECT nextval(pg_get_serial_sequence('events', 'id'))"
            + " FROM generate_series(1, ?)";

    /** The writer's statements, prepared once per writer connection and reused across commits (writer thread only). */
    private static final int PROJECT_KNOWN = 1;
    private static final int AGENT_KNOWN = 2;
    /**
     * Sessions whose stored row already has a project and/or agent (bits above), as the last upsert returned it:
     * their events' details need not be parsed for them again (two JSON scans per event, on the one writer
     * thread). Only a hint: the upsert's answer is checked every time. Bounded, least recently written out first;
     * touched by the writer thread only.
     */
    private final Map<String, Integer> namesKnown = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > 4096;
        }
    };
    private Connection preparedOn;
    private PreparedStatement upsertStatement;
    private PreparedStatement fillInStatement;
    private PreparedStatement insertStatement;
    private PreparedStatement reserveStatement;

    private final Database database;
    private final StoreLimits limits;
    private final Clock clock;
    private final String instanceId;
    private final Consumer<List<List<Event>>> onCommitted;

    /** {@code instanceId} tells other replicas our commits apart; {@code onCommitted} sees each committed batch. */
    EventBatchWriter(Database database, StoreLimits limits, Clock clock, String instanceId,
            Consumer<List<List<Event>>> onCommitted) {
        this.database = database;
        this.limits = limits;
        this.clock = clock;
        this.instanceId = instanceId;
        this.onCommitted = onCommitted;
    }

    @Override
    public List<List<Event>> write(Connection c, List<List<NewEvent>> batch) throws SQLException {
        return writeBatch(c, batch);
    }

    @Override
    public void committed(List<List<NewEvent>> batch, List<List<Event>> results) {
        onCommitted.accept(results);
    }

    @Override
    public boolean landed(Connection fresh, List<List<NewEvent>> batch, List<List<Event>> results)
            throws SQLException {
        return landed(fresh, results);
    }

    private List<List<Event>> writeBatch(Connection c, List<List<NewEvent>> requests) throws SQLException {
        List<NewEvent> all = new ArrayList<>();
        requests.forEach(all::addAll);
        List<Event> stored = appendAll(c, all);
        List<List<Event>> results = new ArrayList<>(requests.size());
        int from = 0;
        for (List<NewEvent> request : requests) {
            results.add(stored.subList(from, from + request.size()));
            from += request.size();
        }
        return results;
    }

    /**
     * One transaction for a whole batch, with one statement per session plus one per event: reserve the batch's
     * event ids, reserve each session's next sequences in one upsert (which also locks the session row on
     * PostgreSQL; sessions in a fixed order so two replicas cannot deadlock), insert all events in one JDBC batch,
     * trim the oldest beyond maxEventsPerSession.
     */
    private List<Event> appendAll(Connection c, List<NewEvent> batch) throws SQLException {
        prepare(c);
        Map<String, List<Integer>> bySession = new java.util.TreeMap<>();
        for (int i = 0; i < batch.size(); i++) {
            bySession.computeIfAbsent(batch.get(i).sessionId(), k -> new ArrayList<>()).add(i);
        }
        long[] ids = reserveIds(batch.size());
        long[] sequences = new long[batch.size()];
        int[] bytes = new int[batch.size()];
        long now = clock.millis();
        List<String> overLimit = new ArrayList<>();
        List<Long> overLimitLast = new ArrayList<>();
        PreparedStatement upsert = upsertStatement;
        for (Map.Entry<String, List<Integer>> entry : bySession.entrySet()) {
            List<Integer> indexes = entry.getValue();
            long sessionBytes = 0;
            String project = null;
            String sender = null;
            String agent = null;
            int known = namesKnown.getOrDefault(entry.getKey(), 0);
            for (int i : indexes) {
                bytes[i] = EventRows.bytes(batch.get(i));
                sessionBytes += bytes[i];
                if (sender == null) {
                    sender = batch.get(i).sender();
                }
            }
            if ((known & PROJECT_KNOWN) == 0) {
                project = project(batch, indexes);
            }
            if ((known & AGENT_KNOWN) == 0) {
                agent = agent(batch, indexes);
            }
            upsert.setString(1, entry.getKey());
            upsert.setLong(2, now);
            upsert.setLong(3, now);
            upsert.setLong(4, ids[indexes.getLast()]);
            upsert.setLong(5, indexes.size());
            upsert.setLong(6, indexes.size());
            upsert.setLong(7, sessionBytes);
            upsert.setString(8, project); // a new session's; an existing one's are filled in below if missing
            upsert.setString(9, sender);
            upsert.setString(10, agent);
            long last;
            long retained;
            boolean fillIn;
            try (ResultSet rs = upsert.executeQuery()) {
                rs.next();
                last = rs.getLong(1);
                retained = rs.getLong(2);
                boolean noProject = rs.getString(3) == null;
                boolean noAgent = rs.getString(5) == null;
                if (noProject && (known & PROJECT_KNOWN) != 0) {
                    project = project(batch, indexes); // the row is not the one we knew (deleted and started again)
                }
                if (noAgent && (known & AGENT_KNOWN) != 0) {
                    agent = agent(batch, indexes);
                }
                fillIn = project != null && noProject || sender != null && rs.getString(4) == null
                        || agent != null && noAgent;
                namesKnown.put(entry.getKey(), (noProject && project == null ? 0 : PROJECT_KNOWN)
                        | (noAgent && agent == null ? 0 : AGENT_KNOWN));
            }
            if (fillIn) {
                fillInStatement.setString(1, project);
                fillInStatement.setString(2, sender);
                fillInStatement.setString(3, agent);
                fillInStatement.setString(4, entry.getKey());
                fillInStatement.executeUpdate();
            }
            long first = last - indexes.size() + 1;
            for (int k = 0; k < indexes.size(); k++) {
                sequences[indexes.get(k)] = first + k;
            }
            if (retained > limits.maxEventsPerSession()) {
                overLimit.add(entry.getKey());
                overLimitLast.add(last);
            }
        }
        PreparedStatement insert = insertStatement;
        for (int i = 0; i < batch.size(); i++) {
            EventRows.bindInsert(insert, batch.get(i), ids[i], sequences[i], bytes[i]);
            insert.addBatch();
        }
        insert.executeBatch();
        for (int k = 0; k < overLimit.size(); k++) {
            dropOldest(c, overLimit.get(k), overLimitLast.get(k) - limits.maxEventsPerSession() + 1);
        }
        List<Event> stored = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            stored.add(batch.get(i).stored(ids[i], sequences[i]));
        }
        if (database.dialect() == Dialect.POSTGRES) {
            // Delivered to other replicas' LISTEN only when this transaction commits.
            try (PreparedStatement notify = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                for (String sessionId : bySession.keySet()) {
                    notify.setString(1, PgEventListener.CHANNEL);
                    notify.setString(2, PgEventListener.payload(instanceId, sessionId));
                    notify.executeQuery().close();
                }
            }
        }
        return stored;
    }

    private static String project(List<NewEvent> batch, List<Integer> indexes) {
        for (int i : indexes) {
            String project = batch.get(i).project();
            if (project != null) {
                return project;
            }
        }
        return null;
    }

    private static String agent(List<NewEvent> batch, List<Integer> indexes) {
        for (int i : indexes) {
            String agent = batch.get(i).agent();
            if (agent != null) {
                return agent;
            }
        }
        return null;
    }

    private void prepare(Connection c) throws SQLException {
        if (c != preparedOn) {
            preparedOn = null;
            upsertStatement = c.prepareStatement(UPSERT_SESSION);
            fillInStatement = c.prepareStatement(FILL_IN);
            insertStatement = c.prepareStatement(EventRows.insertEvent(database.dialect()));
            reserveStatement = c.prepareStatement(database.dialect() == Dialect.POSTGRES ? RESERVE_IDS_POSTGRES
                    : RESERVE_IDS_SQLITE);
            preparedOn = c;
        }
    }

    private long[] reserveIds(int count) throws SQLException {
        long[] ids = new long[count];
        if (database.dialect() == Dialect.POSTGRES) {
            reserveStatement.setInt(1, count);
            int k = 0;
            try (ResultSet rs = reserveStatement.executeQuery()) {
                while (rs.next() && k < count) {
                    ids[k++] = rs.getLong(1);
                }
            }
            if (k != count) {
                throw new SQLException("reserved " + k + " of " + count + " event ids");
            }
            java.util.Arrays.sort(ids);
            return ids;
        }
        long last = 0;
        try (ResultSet rs = reserveStatement.executeQuery()) {
            if (rs.next()) {
                last = rs.getLong(1);
            }
        }
        for (int k = 0; k < count; k++) {
            ids[k] = last + 1 + k;
        }
        return ids;
    }

    /** After a commit whose answer was lost: the batch is all or nothing, so its first event's row tells. */
    private boolean landed(Connection fresh, List<List<Event>> results) throws SQLException {
        long id = results.getFirst().getFirst().id();
        try (PreparedStatement ps = fresh.prepareStatement("SELECT 1 FROM events WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void dropOldest(Connection c, String sessionId, long firstKept) throws SQLException {
        int count = 0;
        long bytes = 0;
        try (PreparedStatement delete = c.prepareStatement(
                "DELETE FROM events WHERE session_id = ? AND sequence < ? RETURNING bytes")) {
            delete.setString(1, sessionId);
            delete.setLong(2, firstKept);
            try (ResultSet rs = delete.executeQuery()) {
                while (rs.next()) {
                    count++;
                    bytes += rs.getLong(1);
                }
            }
        }
        try (PreparedStatement update = c.prepareStatement("UPDATE sessions SET first_sequence = ?,"
                + " retained = retained - ?, dropped = dropped + ?, bytes = bytes - ? WHERE session_id = ?")) {
            update.setLong(1, firstKept);
            update.setInt(2, count);
            update.setInt(3, count);
            update.setLong(4, bytes);
            update.setString(5, sessionId);
            update.executeUpdate();
        }
    }
}
