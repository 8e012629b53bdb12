package dev.mos.store.jdbc;

import dev.mos.model.Event;
import dev.mos.store.SearchText;
import dev.mos.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
 * written with the new progress in one short transaction. Writing an event never waits for the index; events
 * stored before the index existed are indexed the same way. Several processes may share the database: the
 * progress is re-read under the write lock, so only one of them indexes a batch. A search first catches up a
 * bounded amount, so what was just stored is usually found. Deleted events leave words behind in the index; the
 * search joins with the events and never answers with them (ids are never reused).
 */
final class JdbcSearchIndex implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JdbcSearchIndex.class);
    static final int BATCH = 500;
    private static final int CATCH_UP_BATCHES_PER_SEARCH = 20;

    private final Database database;
    private final ScheduledExecutorService indexer;

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
            long from = progress(c, false);
            List<Long> ids = new ArrayList<>(BATCH);
            List<String> texts = new ArrayList<>(BATCH);
            try (PreparedStatement ps = c.prepareStatement("SELECT " + EventRows.EVENT_COLUMNS
                    + " FROM events WHERE id > ? ORDER BY id LIMIT " + BATCH)) {
                ps.setLong(1, from);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Event e = EventRows.event(rs);
                        ids.add(e.id());
                        texts.add(SearchText.of(e));
                    }
                }
            }
            if (ids.isEmpty()) {
                return 0;
            }
            c.setAutoCommit(false);
            try {
                if (progress(c, true) != from) {
                    c.rollback(); // another process indexed these meanwhile
                    return 0;
                }
                String insert = database.dialect() == Dialect.POSTGRES
                        ? "INSERT INTO event_search (event_id, doc) VALUES (?, to_tsvector('simple', ?))"
                                + " ON CONFLICT (event_id) DO NOTHING"
                        : "INSERT INTO event_text (rowid, body) VALUES (?, ?)";
                try (PreparedStatement ps = c.prepareStatement(insert)) {
                    for (int i = 0; i < ids.size(); i++) {
                        ps.setLong(1, ids.get(i));
                        ps.setString(2, texts.get(i));
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE search_progress SET last_event_id = ? WHERE id = 1")) {
                    ps.setLong(1, ids.getLast());
                    ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            return ids.size();
        } catch (SQLException e) {
            throw new StoreUnavailableException("the database failed while indexing events for search: "
                    + JdbcErrors.describe(e), e);
        }
    }

    private long progress(Connection c, boolean locked) throws SQLException {
        String sql = "SELECT last_event_id FROM search_progress WHERE id = 1"
                + (locked && database.dialect() == Dialect.POSTGRES ? " FOR UPDATE" : "");
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    List<Event> search(String query, int limit) {
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
                    + " WHERE s.doc @@ to_tsquery('simple', ?) ORDER BY e.id DESC LIMIT ?";
        } else {
            match = words.stream().map(w -> "\"" + w + "\"*").collect(Collectors.joining(" "));
            sql = "SELECT " + columns + " FROM events e WHERE e.id IN (SELECT rowid FROM event_text"
                    + " WHERE event_text MATCH ? ORDER BY rowid DESC LIMIT ?) ORDER BY e.id DESC";
        }
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, match);
            ps.setInt(2, database.dialect() == Dialect.POSTGRES ? limit : limit * 2); // deleted events' words
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
