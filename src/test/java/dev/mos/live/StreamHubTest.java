package dev.mos.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.model.Event;
import dev.mos.model.EventStatus;
import dev.mos.model.EventType;
import org.junit.jupiter.api.Test;

class StreamHubTest {

    private static Event event(String session, long sequence) {
        return event(sequence, session, sequence);
    }

    private static Event event(long id, String session, long sequence) {
        return new Event(id, session, sequence, EventType.TOOL_PRE_CALL, EventStatus.STARTED, 0, null, null,
                null, "Read", null, null, null);
    }

    @Test
    void aFullSubscriberIsMarkedOverflowedWithoutAffectingAnother() throws Exception {
        StreamHub hub = new StreamHub();
        try (Subscription slow = hub.subscribe(null, 2); Subscription fast = hub.subscribe(null, 100)) {
            for (int i = 1; i <= 5; i++) {
                hub.publish(event("s", i));
            }
            assertThat(slow.overflowed()).as("events still buffered are delivered first").isFalse();
            assertThat(slow.poll(0).event().sequence()).isEqualTo(1);
            assertThat(slow.poll(0).event().sequence()).isEqualTo(2);
            assertThat(slow.poll(0)).isNull();
            assertThat(slow.overflowed()).isTrue();
            for (int i = 1; i <= 5; i++) {
                assertThat(fast.poll(0).event().sequence()).isEqualTo(i);
            }
            assertThat(fast.overflowed()).isFalse();
        }
        assertThat(hub.subscribers()).isZero();
    }

    @Test
    void aSessionSubscriptionSeesOnlyItsSession() throws Exception {
        StreamHub hub = new StreamHub();
        try (Subscription one = hub.subscribe("a", 10)) {
            hub.publish(event("b", 1));
            hub.publish(event("a", 1));
            assertThat(one.poll(0).event().sessionId()).isEqualTo("a");
            assertThat(one.poll(0)).isNull();
        }
    }

    @Test
    void closingTheHubWakesAWaitingReaderEvenWhenItsBufferIsFull() throws Exception {
        StreamHub hub = new StreamHub();
        try (Subscription s = hub.subscribe(null, 1)) {
            hub.publish(event("s", 1));
            hub.publish(event("s", 2));
            hub.close();
            assertThat(s.poll(1000).event().sequence()).isEqualTo(1);
            long started = System.nanoTime();
            assertThat(s.poll(10_000)).isNull();
            assertThat(s.ended()).isTrue();
            assertThat(System.nanoTime() - started).as("woken, not timed out").isLessThan(5_000_000_000L);
        }
    }

    @Test
    void liveFeedPublishesToStreams() throws Exception {
        LiveFeed feed = new LiveFeed();
        try (Subscription s = feed.streams().subscribe(null, 4)) {
            feed.publish(event("s", 7));
            // published by the feed's own thread (without a store to fill the gap before 7, after a short hold)
            assertThat(s.poll(2_000).event().sequence()).isEqualTo(7);
        }
    }

    @Test
    void anAllSessionsResumeContinuesInPublicationOrderEvenPastSmallerIds() throws Exception {
        StreamHub hub = new StreamHub(100);
        // Session b's event 11 is published before session a's event 10 (another process committed 10 first).
        hub.publish(java.util.List.of(event(9, "a", 1), event(11, "b", 1), event(10, "a", 2), event(12, "b", 2)));
        try (Subscription resumed = hub.resumeAllAfter(11, 10).orElseThrow()) {
            assertThat(resumed.poll(0).event().id()).as("a smaller id published after the cursor").isEqualTo(10);
            assertThat(resumed.poll(0).event().id()).isEqualTo(12);
            assertThat(resumed.poll(0)).isNull();
            hub.publish(event(13, "a", 3));
            assertThat(resumed.poll(0).event().id()).as("then live").isEqualTo(13);
        }
        assertThat(hub.resumeAllAfter(9, 2)).as("more missed than the buffer holds: replay from the store").isEmpty();
        assertThat(hub.resumeAllAfter(42, 10)).as("unknown cursor: replay from the store").isEmpty();
    }

    @Test
    void onlyTheMostRecentEventsAreKeptForResuming() {
        StreamHub hub = new StreamHub(3);
        for (int i = 1; i <= 5; i++) {
            hub.publish(event("s", i));
        }
        assertThat(hub.resumeAllAfter(2, 10)).isEmpty();
        try (Subscription s = hub.resumeAllAfter(3, 10).orElseThrow()) {
            assertThat(s.drainTo(new java.util.ArrayList<>(), 10)).isEqualTo(2);
        }
    }
}
