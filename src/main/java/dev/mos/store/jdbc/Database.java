package dev.mos.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mos.store.StoreUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A migrated connection pool for one of the two dialects. Flyway runs the versioned migrations at start; it
 * takes a lock (an advisory lock on PostgreSQL, the file's write lock on SQLite), so replicas starting together
 * migrate once.
 */
public final class Database implements AutoCloseable {

    private final Dialect dialect;
    private final HikariDataSource pool;
    private final String description;

    private Database(Dialect dialect, HikariDataSource pool, String description) {
        this.dialect = dialect;
        this.pool = pool;
        this.description = description;
    }

    /** The SQLite file {@code mos.db} under {@code dataDir}, created if needed; safe from a killed process. */
    public static Database sqlite(Path dataDir) {
        return sqlite(dataDir, false);
    }

    /**
     * The SQLite file {@code mos.db} under {@code dataDir}, created if needed.
     *
     * @param fsyncEachCommit true: a commit is on disk before it is acknowledged ({@code synchronous=FULL}, survives
     *     a power loss); false: in WAL mode a commit is written to the OS before it is acknowledged
     *     ({@code synchronous=NORMAL}), which survives the process being killed at any point, at a fraction of
     *     the cost (docs/PERFORMANCE.md)
     */
    public static Database sqlite(Path dataDir, boolean fsyncEachCommit) {
        Path file = sqliteFile(dataDir);
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new IllegalArgumentException("storage.dataDir (MCP_DATA_DIR) " + dataDir
                    + " cannot be created: " + e.getMessage());
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("mos-sqlite");
        config.setJdbcUrl("jdbc:sqlite:" + file);
        // WAL: readers never wait for the writer, and other processes on the same file see commits at once.
        config.addDataSourceProperty("journal_mode", "WAL");
        config.addDataSourceProperty("synchronous", fsyncEachCommit ? "FULL" : "NORMAL");
        // Several processes may share the file: wait for the write lock instead of failing at once.
        config.addDataSourceProperty("busy_timeout", "10000");
        // Take the write lock at BEGIN so a transaction never has to upgrade a read lock (which cannot wait).
        config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(10_000);
        return open(Dialect.SQLITE, config, "sqlite " + file);
    }

    /** The database file under a data directory. */
    public static Path sqliteFile(Path dataDir) {
        return dataDir.toAbsolutePath().normalize().resolve("mos.db");
    }

    public static Database postgres(DatabaseUrl url) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("mos-postgres");
        config.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) {
            config.setUsername(url.user());
        }
        if (url.password() != null) {
            config.setPassword(url.password());
        }
        config.setMaximumPoolSize(8);
        // Fail fast when the database is down so callers get a retryable error instead of hanging.
        config.setConnectionTimeout(5_000);
        config.setInitializationFailTimeout(30_000);
        return open(Dialect.POSTGRES, config, "postgres " + url.redacted());
    }

    /**
     * The newest migration shipped (checked against the migration files by DatabaseTest). When the schema is
     * already there, Flyway is skipped: its start-up costs more than the whole rest of a stdio server's start.
     */
    static final String LATEST_SCHEMA_VERSION = "8";

    private static boolean schemaIsCurrent(HikariDataSource pool) {
        try (Connection c = pool.getConnection();
                java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT version FROM mos_schema_history WHERE success"
                        + " AND version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1")) {
            return rs.next() && LATEST_SCHEMA_VERSION.equals(rs.getString(1));
        } catch (SQLException e) {
            return false; // no history table yet: a fresh database
        }
    }

    private static Database open(Dialect dialect, HikariConfig config, String description) {
        HikariDataSource pool = null;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (pool == null) {
            try {
                pool = new HikariDataSource(config);
            } catch (RuntimeException e) {
                // Two processes creating the same SQLite file at once: switching it to WAL answers SQLITE_BUSY at
                // once, without waiting for busy_timeout. The other one finishes in milliseconds: try again.
                boolean busy = dialect == Dialect.SQLITE && String.valueOf(JdbcErrors.describe(e))
                        .contains("SQLITE_BUSY");
                if (!busy || System.nanoTime() - deadline > 0) {
                    throw new StoreUnavailableException("cannot open storage (" + description + "): "
                            + JdbcErrors.describe(e), e);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new StoreUnavailableException("interrupted while opening " + description, interrupted);
                }
            }
        }
        try {
            if (schemaIsCurrent(pool)) {
                return new Database(dialect, pool, description);
            }
            Flyway.configure(Database.class.getClassLoader())
                    .dataSource(pool)
                    .locations(dialect.migrations())
                    .table("mos_schema_history")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new StoreUnavailableException("cannot migrate storage (" + description + "): "
                    + JdbcErrors.describe(e), e);
        }
        return new Database(dialect, pool, description);
    }

    /** A connection outside the pool, for a LISTEN that holds it for the process's life. */
    Connection directConnection() throws SQLException {
        return DriverManager.getConnection(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword());
    }

    /** SQLite online backup: a consistent copy while other connections keep reading and writing. */
    public void backupTo(Path file) {
        if (dialect != Dialect.SQLITE) {
            throw new IllegalStateException("online backup is for SQLite; use pg_dump for PostgreSQL");
        }
        try (Connection c = pool.getConnection(); java.sql.PreparedStatement ps = c.prepareStatement("VACUUM INTO ?")) {
            ps.setString(1, file.toString());
            ps.execute();
        } catch (SQLException e) {
            throw new StoreUnavailableException("backup to " + file + " failed: " + JdbcErrors.describe(e), e);
        }
    }

    /** Work on one pooled connection; the SQL exceptions it may throw become {@link StoreUnavailableException}s. */
    interface SqlWork<R> {
        R run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in auto-commit: a SQLite transaction here would take the write lock (the pool begins
     * IMMEDIATE). Where two statements must agree (a page and its session row) the second is bounded by the first.
     */
    <R> R read(SqlWork<R> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreUnavailableException("the database failed a read: " + JdbcErrors.describe(e), e);
        }
    }

    /** Runs {@code work} in one transaction, committed when it returns and rolled back when it throws. */
    <R> R write(SqlWork<R> work) {
        try (Connection c = pool.getConnection()) {
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
            throw new StoreUnavailableException("the database failed a write: " + JdbcErrors.describe(e), e);
        }
    }

    public Dialect dialect() {
        return dialect;
    }

    public DataSource dataSource() {
        return pool;
    }

    /** Where the data lives, without secrets. */
    public String description() {
        return description;
    }

    @Override
    public void close() {
        pool.close();
    }
}
