package dev.mos.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.model.Event;
import dev.mos.pg.PostgresServer;
import dev.mos.store.SessionStore;
import dev.mos.store.SessionStoreContract;
import dev.mos.store.StoreLimits;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The contract against a real PostgreSQL server started by the test run; one fresh database per test. */
class PostgresSessionStoreTest extends SessionStoreContract {

    private String jdbcUrl;

    @Override
    protected SessionStore createStore(StoreLimits limits, Clock clock) {
        if (jdbcUrl == null) {
            jdbcUrl = PostgresServer.shared().createDatabase();
        }
        return new JdbcSessionStore(Database.postgres(DatabaseUrl.parse(jdbcUrl)), limits, clock);
    }

    @Override
    protected SessionStore reopenStore(StoreLimits limits, Clock clock) {
        return createStore(limits, clock);
    }

    @Override
    protected SessionStore concurrentStore(StoreLimits limits, Clock clock) {
        return createStore(limits, clock);
    }

    @Test
    void aUserStylePostgresUrlWithAPasswordIsAcceptedAndRedacted() {
        PostgresServer pg = PostgresServer.shared();
        String url = pg.url(pg.createDatabase());
        DatabaseUrl parsed = DatabaseUrl.parse(url);

        assertThat(parsed.redacted()).doesNotContain("unused-secret");
        try (SessionStore store = new JdbcSessionStore(Database.postgres(parsed), new StoreLimits(10, 1L << 20),
                clock)) {
            assertThat(store.append(event("s", "x")).sequence()).isEqualTo(1);
            assertThat(store.description()).doesNotContain("unused-secret");
        }
    }

    /**
     * The connection dies inside COMMIT (a deferred trigger makes the server end its own backend there, as
     * pg_terminate_backend or a crash would): the store asks on a fresh connection whether the rows landed. They
     * did not, so the caller gets the retryable error and a retry stores the event exactly once. (The opposite
     * case, a commit that landed but whose answer was lost, cannot be provoked deterministically; the same check
     * then finds the first event's id, reserved before the insert, and acknowledges.)
     */
    @Test
    void aConnectionLostDuringCommitIsCheckedOnAFreshConnectionBeforeAnswering() throws Exception {
        StoreLimits limits = new StoreLimits(1_000, 1L << 30);
        try (SessionStore store = createStore(limits, clock)) {
            store.append(event("s", "before"));
            try (var c = java.sql.DriverManager.getConnection(jdbcUrl); var st = c.createStatement()) {
                st.execute("CREATE FUNCTION die_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " IF NEW.name = 'doomed' THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF;"
                        + " RETURN NULL; END $$");
                st.execute("CREATE CONSTRAINT TRIGGER die_at_commit AFTER INSERT ON events DEFERRABLE INITIALLY"
                        + " DEFERRED FOR EACH ROW EXECUTE FUNCTION die_at_commit()");
            }

            var failure = org.assertj.core.api.Assertions.catchThrowableOfType(
                    dev.mos.store.StoreUnavailableException.class, () -> store.append(event("s", "doomed")));

            assertThat(failure).isNotNull();
            assertThat(failure.getMessage()).startsWith("the commit failed: ");
            assertThat(store.events("s")).extracting(Event::name).containsExactly("before");
            Event after = store.append(event("s", "after"));
            assertThat(after.sequence()).isEqualTo(2);
            assertThat(store.events("s")).extracting(Event::name).containsExactly("before", "after");
        }
    }

    /**
     * PostgreSQL hands out ids outside transactions, so a lower id can commit after a higher one was indexed (two
     * writers, or two replicas): the straggler is indexed once it commits, not skipped for ever.
     */
    @Test
    void anEventCommittedAfterAHigherIdWasIndexedIsStillFound() throws Exception {
        try (SessionStore store = createStore(new StoreLimits(1_000, 1L << 30), clock);
                var slow = java.sql.DriverManager.getConnection(jdbcUrl)) {
            store.append(event("s", "first"));
            slow.setAutoCommit(false);
            long lowId;
            try (var st = slow.createStatement();
                    var rs = st.executeQuery("SELECT nextval(pg_get_serial_sequence('events', 'id'))")) {
                rs.next();
                lowId = rs.getLong(1);
            }
            Event later = store.append(event("s", "later"));
            assertThat(later.id()).isGreaterThan(lowId);
            assertThat(store.search("later", Long.MAX_VALUE, 10)).extracting(Event::id).containsExactly(later.id());
            assertThat(store.search("later", Long.MAX_VALUE, 10)).as("a second round: the horizon waits for the open transaction")
                    .hasSize(1);

            try (var ps = slow.prepareStatement("INSERT INTO events (id, session_id, sequence, type, status, ts, name,"
                    + " bytes) OVERRIDING SYSTEM VALUE VALUES (?, 'other', 1, 'tool_pre_call', 'started', 0,"
                    + " 'straggler', 10)")) {
                ps.setLong(1, lowId);
                ps.executeUpdate();
            }
            slow.commit();

            assertThat(store.search("straggler", Long.MAX_VALUE, 10)).extracting(Event::id).containsExactly(lowId);
            assertThat(store.search("first", Long.MAX_VALUE, 10)).hasSize(1);
        }
    }
}
