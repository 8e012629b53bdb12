package dev.mos.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.model.Event;
import dev.mos.store.SessionStore;
import dev.mos.store.SessionStoreContract;
import dev.mos.store.StoreLimits;
import dev.mos.store.SessionInfo;
import dev.mos.store.StoreStats;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MemorySessionStoreTest extends SessionStoreContract {

    private final List<SessionStore> budgetStores = new ArrayList<>();

    @Override
    protected SessionStore createStore(StoreLimits limits, Clock clock) {
        return new MemorySessionStore(limits, clock);
    }

    /** The byte budget is the memory backend's own: durable backends never evict stored sessions for memory. */
    private SessionStore store(StoreLimits limits) {
        SessionStore store = createStore(limits, clock);
        budgetStores.add(store);
        return store;
    }

    @AfterEach
    void closeBudgetStores() {
        budgetStores.forEach(SessionStore::close);
    }

    @Test
    void byteBudgetEvictsLeastRecentlyActiveWholeSessions() {
        String big = "x".repeat(2_000);
        // room for roughly ten such events
        SessionStore store = store(new StoreLimits(1_000, 21_000));
        for (String session : List.of("a", "b", "c")) {
            for (int i = 0; i < 3; i++) {
                store.append(event(session, "op", big));
            }
            clock.advance(1_000);
        }
        // touching "a" makes "b" the least recently active
        store.append(event("a", "op", "small"));
        clock.advance(1_000);
        assertThat(store.stats().evictedSessions()).isZero();
        assertThat(store.stats().sessions()).isEqualTo(3);

        store.append(event("d", "op", big));
        store.append(event("d", "op", big));

        assertThat(store.session("b")).as("least recently active session evicted").isEmpty();
        assertThat(store.events("b")).isEmpty();
        assertThat(store.session("d")).as("the session being written is kept").isPresent();
        assertThat(store.events("d")).hasSize(2);
        assertThat(store.session("a")).as("recently touched session kept").isPresent();
        assertThat(store.events("a")).hasSize(4);
        StoreStats stats = store.stats();
        long missing = List.of("a", "b", "c", "d").stream().filter(s -> store.session(s).isEmpty()).count();
        assertThat(stats.evictedSessions()).isEqualTo(missing).isPositive();
        assertThat(stats.sessions()).isEqualTo(4 - (int) missing);
        assertThat(stats.estimatedBytes()).isLessThanOrEqualTo(stats.budgetBytes());
        assertThat(stats.budgetBytes()).isEqualTo(21_000);
    }

    @Test
    void byteBudgetNeverEvictsTheSessionBeingWritten() {
        String big = "x".repeat(2_000);
        SessionStore store = store(new StoreLimits(1_000, 10_000));
        for (int i = 0; i < 12; i++) {
            store.append(event("solo", "op", big));
            clock.advance(1);
        }

        assertThat(store.session("solo")).isPresent();
        assertThat(store.events("solo")).hasSize(12);
        assertThat(store.stats().evictedSessions()).isZero();
    }

    @Test
    void shortNamesAreSharedBetweenEvents() {
        try (SessionStore store = createStore(new StoreLimits(100, 1_000_000), clock)) {
            Event first = store.append(event("a", new String("Read".toCharArray())));
            Event second = store.append(event("b", new String("Read".toCharArray())));

            assertThat(second.name()).isEqualTo("Read").isSameAs(first.name());
        }
    }

    @Test
    void ringKeepsOrderAcrossGrowthAndWrapAround() {
        try (SessionStore store = createStore(new StoreLimits(40, 1_000_000), clock)) {
            for (int i = 1; i <= 100; i++) {
                store.append(event("s", "e" + i));
            }

            assertThat(store.events("s")).extracting(Event::sequence)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(61, 100).boxed().toList());
            assertThat(store.eventsAfter("s", 70, 5).events()).extracting(Event::sequence)
                    .containsExactly(71L, 72L, 73L, 74L, 75L);
        }
    }
}
