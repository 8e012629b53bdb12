package dev.mos.live;

import dev.mos.model.Event;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fans every stored event out to the open streams (SSE today). Each subscriber owns a bounded buffer; publishing
 * only ever offers to it, so a slow or stuck subscriber fills its own buffer and is marked as lagging instead of
 * slowing ingestion or its neighbours.
 */
public final class StreamHub {

    /** How many of the latest published events are kept so that an all-sessions stream can resume exactly. */
    static final int DEFAULT_RECENT = 10_000;

    private final CopyOnWriteArrayList<Subscription> subscribers = new CopyOnWriteArrayList<>();
    /**
     * The latest deliveries in publication order. Across sessions that order is not id order (another replica's or
     * process's commits arrive later than our own), so "ids greater than the cursor" could skip an event published
     * after the cursor with a smaller id; resuming from a position in this log cannot.
     */
    private final ArrayDeque<Delivery> recent;
    private final int recentCapacity;
    private volatile boolean closed;

    public StreamHub() {
        this(DEFAULT_RECENT);
    }

    public StreamHub(int recentCapacity) {
        this.recentCapacity = recentCapacity;
        this.recent = new ArrayDeque<>(Math.min(recentCapacity, 1024));
    }

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
    public synchronized void publish(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        List<Delivery> deliveries = new ArrayList<>(events.size());
        for (Event e : events) {
            deliveries.add(new Delivery(e));
        }
        for (Delivery d : deliveries) {
            if (recent.size() == recentCapacity) {
                recent.removeFirst();
            }
            recent.addLast(d);
        }
        for (Subscription s : subscribers) {
            s.offer(deliveries);
        }
    }

    /**
     * An all-sessions subscription that starts right after the event with id {@code afterId}, with everything
     * published since then already queued (in publication order, so nothing is skipped or repeated), or empty when
     * that event is no longer among the recent ones (the caller then replays from the store).
     */
    public synchronized Optional<Subscription> resumeAllAfter(long afterId, int capacity) {
        List<Delivery> since = new ArrayList<>();
        boolean found = false;
        for (Iterator<Delivery> it = recent.descendingIterator(); it.hasNext(); ) {
            Delivery d = it.next();
            if (d.event().id() == afterId) {
                found = true;
                break;
            }
            since.add(d);
        }
        if (!found || since.size() > capacity) {
            return Optional.empty();
        }
        Subscription s = subscribe(null, capacity);
        s.offer(since.reversed());
        return Optional.of(s);
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
