package dev.mos.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.model.EventStatus;
import dev.mos.model.EventType;
import dev.mos.model.NewEvent;
import dev.mos.store.StoreLimits;
import dev.mos.store.memory.MemorySessionStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Delivery.local: what this process committed, as opposed to what the relay read from the store. */
class LiveFeedLocalTest {

    private final MemorySessionStore store = new MemorySessionStore(new StoreLimits(100_000, 256L << 20),
            Clock.systemUTC());

    private static NewEvent event(String session, String name) {
        return new NewEvent(session, EventType.TOOL_PRE_CALL, EventStatus.STARTED, 1, null, null, null, name, null,
                null, null);
    }

    private static List<String> seen(Subscription sub, int count) throws InterruptedException {
        List<String> out = new ArrayList<>();
        while (out.size() < count) {
            Delivery d = sub.poll(5_000);
            if (d == null) {
                break;
            }
            out.add(d.event().name() + "=" + (d.local() ? "local" : "remote"));
        }
        return out;
    }

    @Test
    void localCommitsAreLocalAndAnotherReplicasAreNot() throws Exception {
        try (LiveFeed feed = new LiveFeed(new StreamHub(), store);
                Subscription sub = feed.streams().subscribe(null, 100)) {
            feed.publish(store.append(event("s", "ours")));
            assertThat(seen(sub, 1)).containsExactly("ours=local");
            store.append(event("s", "theirs")); // committed by another replica: only a notification comes
            feed.remoteAppend("s");
            assertThat(seen(sub, 1)).containsExactly("theirs=remote");
            feed.publish(store.append(event("s", "ours again")));
            assertThat(seen(sub, 1)).containsExactly("ours again=local");
        }
    }

    @Test
    void aLocalEventHeldForAGapStaysLocalWhenTheGapIsReadFromTheStore() throws Exception {
        try (LiveFeed feed = new LiveFeed(new StreamHub(), store);
                Subscription sub = feed.streams().subscribe(null, 100)) {
            store.append(event("s", "theirs"));
            feed.publish(store.append(event("s", "ours")));
            assertThat(seen(sub, 2)).containsExactly("theirs=remote", "ours=local");
        }
    }
}
