package dev.mos.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mos.MutableClock;
import dev.mos.model.Event;
import dev.mos.model.EventStatus;
import dev.mos.model.EventType;
import dev.mos.model.NewEvent;
import dev.mos.store.jdbc.Database;
import dev.mos.store.jdbc.JdbcSessionStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real SQLite store opened in the background: calls wait for it, failures say nothing was stored, then retry. */
class OpeningSessionStoreTest {

    private static final long T0 = 1_764_000_000_000L;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);

    private static NewEvent event(String session) {
        return new NewEvent(session, EventType.TOOL_PRE_CALL, EventStatus.STARTED, T0, null, null, null, "Read",
                null, null, null);
    }

    private SessionStore sqlite(Path dataDir) {
        return new JdbcSessionStore(Database.sqlite(dataDir), new StoreLimits(1_000, 1L << 30), clock);
    }

    @Test
    void nothingOpensBeforeItIsAskedAndAnAppendArrivingEarlyWaitsForTheOpening() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger opened = new AtomicInteger();
        OpeningSessionStore store = new OpeningSessionStore(() -> {
            opened.incrementAndGet();
            await(release);
            return sqlite(dir);
        }, "sqlite", "sqlite test", clock::millis);
        try {
            assertThat(opened).hasValue(0);
            assertThat(store.problem()).hasValueSatisfying(p -> assertThat(p).contains("opening"));
            assertThat(store.stats().sessions()).isZero();

            CompletableFuture<Event> early = store.appendAsync(event("s1"));
            Thread.sleep(50);
            assertThat(early).isNotDone();
            release.countDown();
            assertThat(early.get(10, TimeUnit.SECONDS).sequence()).isEqualTo(1);
            assertThat(store.append(event("s1")).sequence()).isEqualTo(2);
            assertThat(opened).hasValue(1);
            assertThat(store.problem()).isEmpty();
            assertThat(store.stats().sessions()).isEqualTo(1);
        } finally {
            store.close();
        }
    }

    @Test
    void hooksSeeTheOpenStoreBeforeAnyAppendAndRemoteListenersReachIt() throws Exception {
        try (SessionStore first = sqlite(dir)) {
            first.append(event("old"));
        }
        List<String> seen = new ArrayList<>();
        OpeningSessionStore store = new OpeningSessionStore(() -> sqlite(dir), "sqlite", "sqlite test",
                clock::millis);
        try {
            store.beforeFirstUse(open -> open.sessions().forEach(s -> seen.add(s.sessionId() + "@"
                    + s.lastSequence())));
            store.onRemoteAppend(id -> { });
            store.appendAsync(event("new")).get(10, TimeUnit.SECONDS);
            assertThat(seen).containsExactly("old@1");
        } finally {
            store.close();
        }
    }

    @Test
    void aStoreThatCannotOpenFailsEveryCallWithTheReasonAndIsRetriedAfterAPause() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("a-file"), "x");
        AtomicInteger attempts = new AtomicInteger();
        OpeningSessionStore store = new OpeningSessionStore(() -> {
            attempts.incrementAndGet();
            return sqlite(notADirectory);
        }, "sqlite", "sqlite " + notADirectory, clock::millis);

        assertThatThrownBy(() -> store.append(event("s1"))).isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("cannot open sqlite " + notADirectory)
                .hasMessageContaining("MCP_DATA_DIR");
        assertThatThrownBy(() -> store.appendAsync(event("s1")).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(StoreUnavailableException.class);
        assertThat(store.problem()).hasValueSatisfying(p -> assertThat(p).contains("cannot open"));
        assertThat(attempts).hasValue(1);

        clock.advance(OpeningSessionStore.RETRY_AFTER_MS);
        assertThatThrownBy(() -> store.sessions()).isInstanceOf(StoreUnavailableException.class);
        assertThat(attempts).hasValue(2);
        store.close();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
