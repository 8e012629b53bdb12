package dev.mos.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.MutableClock;
import dev.mos.model.EventStatus;
import dev.mos.model.EventType;
import dev.mos.model.NewEvent;
import dev.mos.store.jdbc.Database;
import dev.mos.store.jdbc.JdbcSessionStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real SQLite store with a retention longer than the session timeout: a session inactive past the timeout
 * leaves the lists, "latest" and the count, stays readable by id, and is deleted only by the retention sweep.
 */
class LiveWindowSessionStoreTest {

    private static final long T0 = 1_764_000_000_000L;
    private static final long TIMEOUT = 10_000;
    private static final long RETENTION = 60_000;

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(T0);
    private SessionStore store;

    @AfterEach
    void close() {
        store.close();
    }

    private static NewEvent event(String session) {
        return new NewEvent(session, EventType.TOOL_PRE_CALL, EventStatus.STARTED, T0, null, null, null, "Read",
                null, null, null);
    }

    @Test
    void staleSessionsLeaveTheLiveViewsAtTheTimeoutAndTheStoreAtTheRetention() {
        store = new LiveWindowSessionStore(new JdbcSessionStore(Database.sqlite(dataDir),
                new StoreLimits(1_000, 1L << 30), clock), TIMEOUT, clock);
        store.append(event("old"));
        clock.advance(8_000);
        store.append(event("young"));
        assertThat(store.sessions()).extracting(SessionInfo::sessionId).containsExactly("young", "old");
        assertThat(store.stats().sessions()).isEqualTo(2);

        clock.advance(5_000); // old: 13 s idle, young: 5 s
        assertThat(store.sessions()).extracting(SessionInfo::sessionId).containsExactly("young");
        assertThat(store.latestSessionId()).contains("young");
        assertThat(store.stats().sessions()).isEqualTo(1);
        assertThat(store.stats().retainedEvents()).isEqualTo(2);
        assertThat(store.events("old")).hasSize(1);
        assertThat(store.session("old")).isPresent();

        clock.advance(10_000); // both past the timeout, neither past the retention
        assertThat(store.sessions()).isEmpty();
        assertThat(store.latestSessionId()).isEmpty();
        assertThat(store.expireInactiveBefore(clock.millis() - RETENTION)).isZero();
        assertThat(store.events("young")).hasSize(1);

        store.append(event("old")); // activity brings a session back into view
        assertThat(store.latestSessionId()).contains("old");
        assertThat(store.session("old").orElseThrow().lastSequence()).isEqualTo(2);

        clock.advance(55_000); // young: 65 s idle, past the retention
        assertThat(store.expireInactiveBefore(clock.millis() - RETENTION)).isEqualTo(1);
        assertThat(store.session("young")).isEmpty();
        assertThat(store.events("young")).isEmpty();
        assertThat(store.session("old")).isPresent();
    }
}
