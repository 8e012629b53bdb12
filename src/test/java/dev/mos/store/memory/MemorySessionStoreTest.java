package dev.mos.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.model.Event;
import dev.mos.store.SessionStore;
import dev.mos.store.SessionStoreContract;
import dev.mos.store.StoreLimits;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class MemorySessionStoreTest extends SessionStoreContract {

    @Override
    protected SessionStore createStore(StoreLimits limits, Clock clock) {
        return new MemorySessionStore(limits, clock);
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
