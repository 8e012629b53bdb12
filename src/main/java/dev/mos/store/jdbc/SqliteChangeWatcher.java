package dev.mos.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQLite has no notification channel, so this is how one process learns of another's commits to the same file
 * (for example {@code serve} and the {@code stdio} servers Claude Code spawns): every {@link #INTERVAL_MS} one
 * {@code PRAGMA data_version} on a dedicated connection, which changes only when some other connection committed;
 * only then one indexed query for the sessions that received events since the last look. Our own process's commits
 * come through another connection too, so they are reported as well; the live feed drops what it already published.
 */
final class SqliteChangeWatcher implements AutoCloseable {

    static final long INTERVAL_MS = 200;

    private static final Logger log = LoggerFactory.getLogger(SqliteChangeWatcher.class);

    private final Database database;
    private final Consumer<String> onAppend;
    private final Thread thread;
    private volatile boolean closed;

    SqliteChangeWatcher(Database database, Consumer<String> onAppend) {
        this.database = database;
        this.onAppend = onAppend;
        this.thread = new Thread(this::run, "mos-sqlite-watch");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        long lastId = -1;
        while (!closed) {
            try (Connection c = database.directConnection();
                    Statement version = c.createStatement();
                    PreparedStatement changed = c.prepareStatement(
                            "SELECT session_id, MAX(id) FROM events WHERE id > ? GROUP BY session_id")) {
                if (lastId < 0) {
                    try (ResultSet rs = version.executeQuery("SELECT COALESCE(MAX(id), 0) FROM events")) {
                        rs.next();
                        lastId = rs.getLong(1);
                    }
                }
                long seen = Long.MIN_VALUE;
                while (!closed) {
                    long v;
                    try (ResultSet rs = version.executeQuery("PRAGMA data_version")) {
                        rs.next();
                        v = rs.getLong(1);
                    }
                    if (v != seen) {
                        seen = v;
                        changed.setLong(1, lastId);
                        try (ResultSet rs = changed.executeQuery()) {
                            while (rs.next()) {
                                onAppend.accept(rs.getString(1));
                                lastId = Math.max(lastId, rs.getLong(2));
                            }
                        }
                    }
                    Thread.sleep(INTERVAL_MS);
                }
            } catch (InterruptedException e) {
                return;
            } catch (SQLException | RuntimeException e) {
                if (!closed) {
                    log.warn("SQLite change check failed ({}); retrying in 1 s", JdbcErrors.describe(e));
                    try {
                        Thread.sleep(1_000);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(3_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
