package dev.mos.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.model.Event;
import dev.mos.model.EventStatus;
import dev.mos.model.EventType;
import dev.mos.model.NewEvent;
import dev.mos.store.StoreLimits;
import dev.mos.store.memory.MemorySessionStore;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** onLocalCommit: this process's commits reach the tap; another replica's, relayed from the store, do not. */
class LiveFeedLocalCommitTest {

    private final MemorySessionStore store = new MemorySessionStore(new StoreLimits(100_000, 256L << 20),
            Clock.systemUTC());

    private static NewEvent event(String name) {
        return new NewEvent("s", EventType.TOOL_PRE_CALL, EventStatus.STARTED, 1, null, null, null, name, null,
                null, null);
    }

    @Test
    void onlyOwnCommitsReachTheTap() throws Exception {
        List<String> tapped = new CopyOnWriteArrayList<>();
        try (LiveFeed feed = new LiveFeed(new StreamHub(), store);
                Subscription sub = feed.streams().subscribe(null, 100)) {
            feed.onLocalCommit(e -> tapped.add(e.name()));
            feed.publish(store.append(event("ours")));
            store.append(event("theirs")); // another replica committed it: only a notification comes
            feed.remoteAppend("s");
            Event a = store.append(event("ours 2"));
            Event b = store.append(event("ours 3"));
            feed.publishAll(List.of(a, b));
            int seen = 0;
            while (seen < 4 && sub.poll(5_000) != null) {
                seen++;
            }
            assertThat(seen).isEqualTo(4); // every subscriber still sees all four
            assertThat(tapped).containsExactly("ours", "ours 2", "ours 3");
        }
    }

    /** At shutdown the feed closes before the HTTP drain ends; commits made meanwhile must still reach the export. */
    @Test
    void commitsAfterTheFeedClosedStillReachTheTap() {
        List<String> tapped = new CopyOnWriteArrayList<>();
        LiveFeed feed = new LiveFeed(new StreamHub(), store);
        feed.onLocalCommit(e -> tapped.add(e.name()));
        feed.close();
        feed.publish(store.append(event("drained 1")));
        feed.publishAll(List.of(store.append(event("drained 2"))));
        assertThat(tapped).containsExactly("drained 1", "drained 2");
    }
}
