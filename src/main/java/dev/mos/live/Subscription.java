package dev.mos.live;

import dev.mos.model.Event;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One stream's bounded buffer. When it is full the event is not queued and the subscription is marked as
 * overflowed: its reader must tell the client where to resync from (the store still has the events).
 */
public final class Subscription implements AutoCloseable {

    /** Queued after the last event to wake the reader when the stream must end. */
    private static final Delivery END = new Delivery(
            new Event(-1, "", -1, null, null, 0, null, null, null, null, null, null, null));

    private final String sessionId;
    private final ArrayBlockingQueue<Delivery> buffer;
    private final StreamHub hub;
    private volatile boolean overflowed;
    private volatile boolean ended;

    Subscription(String sessionId, int capacity, StreamHub hub) {
        this.sessionId = sessionId;
        this.buffer = new ArrayBlockingQueue<>(capacity + 1);
        this.hub = hub;
    }

    void offer(Delivery delivery) {
        Event event = delivery.event();
        if (overflowed || ended || (sessionId != null && !sessionId.equals(event.sessionId()))) {
            return;
        }
        // One slot is kept free for END so that shutdown can always wake the reader.
        if (buffer.remainingCapacity() <= 1 || !buffer.offer(delivery)) {
            overflowed = true;
        }
    }

    /**
     * The next buffered event, or null after {@code timeoutMs} without one, or when the stream ended (check
     * {@link #ended()}).
     */
    public Delivery poll(long timeoutMs) throws InterruptedException {
        Delivery e = buffer.poll(timeoutMs, TimeUnit.MILLISECONDS);
        return e == END ? null : e;
    }

    /**
     * For readers that take the events from the store and only need to know that something arrived: waits up to
     * {@code timeoutMs} for news, then empties the buffer and forgets an overflow. True when anything arrived.
     */
    public boolean awaitNews(long timeoutMs) throws InterruptedException {
        boolean news = overflowed || !buffer.isEmpty();
        if (!news && !ended) {
            Delivery d = buffer.poll(timeoutMs, TimeUnit.MILLISECONDS);
            news = d != null && d != END;
        }
        // The caller reads the store next, so whatever is dropped here is read there.
        overflowed = false;
        buffer.removeIf(d -> d != END);
        return news;
    }

    /** True once the buffer overflowed; later events are not buffered any more. */
    public boolean overflowed() {
        return overflowed && buffer.isEmpty();
    }

    public boolean ended() {
        return ended;
    }

    void end() {
        ended = true;
        buffer.offer(END);
    }

    @Override
    public void close() {
        ended = true;
        hub.remove(this);
    }
}
