package dev.mos.live;

import dev.mos.model.Event;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fans every stored event out to the open streams (SSE today). Each subscriber owns a bounded buffer; publishing
 * only ever offers to it, so a slow or stuck subscriber fills its own buffer and is marked as lagging instead of
 * slowing ingestion or its neighbours.
 */
public final class StreamHub {

    private final CopyOnWriteArrayList<Subscription> subscribers = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** @param sessionId only this session's events, or null for all sessions */
    public Subscription subscribe(String sessionId, int capacity) {
        Subscription s = new Subscription(sessionId, capacity, this);
        subscribers.add(s);
        if (closed) {
            s.end();
        }
        return s;
    }

    public void publish(Event event) {
        if (subscribers.isEmpty()) {
            return;
        }
        Delivery delivery = new Delivery(event);
        for (Subscription s : subscribers) {
            s.offer(delivery);
        }
    }

    public int subscribers() {
        return subscribers.size();
    }

    void remove(Subscription s) {
        subscribers.remove(s);
    }

    /** Ends every stream (shutdown): their readers wake up and finish. */
    public void close() {
        closed = true;
        subscribers.forEach(Subscription::end);
    }
}
