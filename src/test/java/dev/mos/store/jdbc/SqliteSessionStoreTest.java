package dev.mos.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.store.SessionStore;
import dev.mos.store.SessionStoreContract;
import dev.mos.store.StoreLimits;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract against a real SQLite file (WAL, FULL sync), plus what only a shared file can show. */
class SqliteSessionStoreTest extends SessionStoreContract {

    @TempDir
    Path dataDir;

    @Override
    protected SessionStore createStore(StoreLimits limits, Clock clock) {
        return new JdbcSessionStore(Database.sqlite(dataDir), limits, clock);
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
    void migrationsRunOnceWhenStoresOpenTogether() throws Exception {
        StoreLimits limits = new StoreLimits(1_000, 1L << 30);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var first = pool.submit(() -> createStore(limits, clock));
            var second = pool.submit(() -> createStore(limits, clock));
            try (SessionStore a = first.get(); SessionStore b = second.get()) {
                a.append(event("s", "x"));
                assertThat(b.events("s")).hasSize(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
