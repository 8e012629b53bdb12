package dev.mos.live;

import dev.mos.model.Event;
import java.util.ArrayList;
import java.util.List;
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
        publish(List.of(event));
    }

    /** Several events, in order: each subscriber takes the batch at once and its reader is woken once. */
    public void publish(List<Event> events) {
        if (subscribers.isEmpty() || events.isEmpty()) {
            return;
        }
        List<Delivery> deliveries = new ArrayList<>(events.size());
        for (Event e : events) {
            deliveries.add(new Delivery(e));
        }
        for (Subscription s : subscribers) {
            s.offer(deliveries);
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
