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
    void twoReplicasOnOneDatabaseShareSequencesAndSessions() {
        StoreLimits limits = new StoreLimits(1_000, 1L << 30);
        try (SessionStore a = createStore(limits, clock); SessionStore b = createStore(limits, clock)) {
            Event fromA = a.append(event("s", "from-a"));
            Event fromB = b.append(event("s", "from-b"));

            assertThat(fromB.sequence()).isEqualTo(fromA.sequence() + 1);
            assertThat(b.events("s")).containsExactly(fromA, fromB);
            assertThat(a.latestSessionId()).contains("s");
        }
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
}
