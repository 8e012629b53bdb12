package dev.mos.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-replica wake-ups through PostgreSQL LISTEN/NOTIFY: every commit of events sends one notification per
 * session on channel {@value #CHANNEL} (delivered by PostgreSQL only once the transaction commits); this thread
 * holds one connection that LISTENs and hands each other replica's session id to {@code onRemoteAppend}.
 */
final class PgEventListener implements AutoCloseable {

    static final String CHANNEL = "mos_events";

    private static final Logger log = LoggerFactory.getLogger(PgEventListener.class);

    private final Database database;
    private final String instanceId;
    private final Consumer<String> onRemoteAppend;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection connection;

    PgEventListener(Database database, String instanceId, Consumer<String> onRemoteAppend) {
        this.database = database;
        this.instanceId = instanceId;
        this.onRemoteAppend = onRemoteAppend;
        this.thread = new Thread(this::run, "mos-pg-listen");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** The payload our own commits carry: who wrote, and which session. */
    static String payload(String instanceId, String sessionId) {
        return instanceId + " " + sessionId;
    }

    private void run() {
        while (!closed) {
            try (Connection c = database.directConnection()) {
                connection = c;
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    // blocks until a notification arrives (or 1 s passes, to notice close)
                    PGNotification[] notes = pg.getNotifications(1_000);
                    if (notes == null) {
                        continue;
                    }
                    for (PGNotification note : notes) {
                        String payload = note.getParameter();
                        int space = payload.indexOf(' ');
                        if (space < 0 || payload.substring(0, space).equals(instanceId)) {
                            continue; // our own commit: already published locally
                        }
                        onRemoteAppend.accept(payload.substring(space + 1));
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!closed) {
                    log.warn("LISTEN connection lost ({}); retrying in 1 s", JdbcErrors.describe(e));
                    sleepQuietly(1_000);
                }
            }
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        try {
            thread.join(3_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
