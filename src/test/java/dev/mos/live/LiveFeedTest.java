package dev.mos.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.model.Event;
import dev.mos.model.EventStatus;
import dev.mos.model.EventType;
import dev.mos.model.NewEvent;
import dev.mos.store.StoreLimits;
import dev.mos.store.memory.MemorySessionStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LiveFeedTest {

    private final MemorySessionStore store = new MemorySessionStore(new StoreLimits(100_000, 256L << 20),
            Clock.systemUTC());
    private final List<LiveFeed> feeds = new ArrayList<>();

    @AfterEach
    void close() {
        feeds.forEach(LiveFeed::close);
    }

    private LiveFeed feed() {
        LiveFeed feed = new LiveFeed(new StreamHub(), store);
        feeds.add(feed);
        return feed;
    }

    private static NewEvent event(String session, String name) {
        return new NewEvent(session, EventType.TOOL_PRE_CALL, EventStatus.STARTED, 1, null, null, null, name, null,
                null, null);
    }

    private static List<Long> sequences(Subscription sub, int count) throws InterruptedException {
        List<Long> seen = new ArrayList<>();
        while (seen.size() < count) {
            Delivery d = sub.poll(5_000);
            if (d == null) {
                break;
            }
            seen.add(d.event().sequence());
        }
        return seen;
    }

    @Test
    void eventsHandedOverOutOfOrderArePublishedInSequenceOrder() throws Exception {
        LiveFeed feed = feed();
        try (Subscription sub = feed.streams().subscribe("s", 100)) {
            Event one = store.append(event("s", "a"));
            Event two = store.append(event("s", "b"));
            Event three = store.append(event("s", "c"));
            feed.publish(three);
            feed.publish(one);
            feed.publish(two);
            assertThat(sequences(sub, 3)).containsExactly(1L, 2L, 3L);
            assertThat(sub.poll(100)).isNull();
        }
    }

    @Test
    void aGapNobodyHereFillsIsReadFromTheStore() throws Exception {
        LiveFeed feed = feed();
        try (Subscription sub = feed.streams().subscribe(null, 100)) {
            store.append(event("s", "written by another process"));
            store.append(event("s", "also"));
            feed.publish(store.append(event("s", "ours")));
            assertThat(sequences(sub, 3)).containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void aRemoteAppendPublishesTheNewEventsOnceAndLocalCopiesAreNotRepeated() throws Exception {
        LiveFeed feed = feed();
        try (Subscription sub = feed.streams().subscribe(null, 100)) {
            Event one = store.append(event("r", "a"));
            Event two = store.append(event("r", "b"));
            feed.remoteAppend("r");
            feed.remoteAppend("r");
            assertThat(sequences(sub, 2)).containsExactly(1L, 2L);
            feed.publish(one);
            feed.publish(two);
            assertThat(sub.poll(200)).as("nothing twice").isNull();
            feed.publish(store.append(event("r", "c")));
            assertThat(sequences(sub, 1)).containsExactly(3L);
        }
    }

    @Test
    void sessionsThatExistAtStartAreFollowedFromTheirEnd() throws Exception {
        store.append(event("old", "a"));
        store.append(event("old", "b"));
        LiveFeed feed = feed();
        try (Subscription sub = feed.streams().subscribe(null, 100)) {
            feed.remoteAppend("old");
            feed.publish(store.append(event("old", "c")));
            assertThat(sequences(sub, 1)).containsExactly(3L);
            assertThat(sub.poll(200)).isNull();
        }
    }

    @Test
    void concurrentIngestionIntoSeveralSessionsArrivesInOrderWithoutGapsOrDuplicates() throws Exception {
        LiveFeed feed = feed();
        int sessions = 5;
        int perThread = 400;
        int threads = 8;
        try (Subscription sub = feed.streams().subscribe(null, 100_000)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            for (int t = 0; t < threads; t++) {
                int thread = t;
                pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        feed.publish(store.append(event("c" + ((thread + i) % sessions), "e")));
                    }
                });
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            long[] last = new long[sessions];
            for (int n = 0; n < threads * perThread; n++) {
                Delivery d = sub.poll(5_000);
                assertThat(d).as("event %d of %d", n, threads * perThread).isNotNull();
                int s = Integer.parseInt(d.event().sessionId().substring(1));
                assertThat(d.event().sequence()).isEqualTo(last[s] + 1);
                last[s] = d.event().sequence();
            }
            assertThat(sub.poll(200)).isNull();
        }
    }

    @Test
    void aSessionDeletedAndStartedAgainIsFollowedFromItsNewStart() throws Exception {
        for (int i = 0; i < 5; i++) {
            store.append(event("again", "old"));
        }
        LiveFeed feed = feed();
        try (Subscription sub = feed.streams().subscribe("again", 100)) {
            store.delete("again");
            Event one = store.append(event("again", "new"));
            Event two = store.append(event("again", "new"));
            feed.publish(one);
            feed.publish(two);
            assertThat(sequences(sub, 2)).containsExactly(1L, 2L);
            assertThat(sub.poll(200)).isNull();
        }
    }

    @Test
    void subscriptionsEndWhenTheFeedCloses() throws Exception {
        LiveFeed feed = feed();
        Subscription sub = feed.streams().subscribe("s", 10);
        feed.close();
        assertThat(sub.poll(1_000)).isNull();
        assertThat(sub.ended()).isTrue();
    }
}
