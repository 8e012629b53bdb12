package dev.mos.live;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One stream's bounded buffer. When it is full the event is not queued and the subscription is marked as
 * overflowed: its reader must tell the client where to resync from (the store still has the events). Events are
 * offered in batches and the reader is woken once per batch, not once per event: with a hundred streams, waking
 * every reader for every event was the largest cost of publishing.
 */
public final class Subscription implements AutoCloseable {

    private final String sessionId;
    private final int capacity;
    private final StreamHub hub;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<Delivery> buffer;
    private volatile boolean overflowed;
    private volatile boolean ended;

    Subscription(String sessionId, int capacity, StreamHub hub) {
        this.sessionId = sessionId;
        this.capacity = capacity;
        this.buffer = new ArrayDeque<>(Math.min(capacity, 1024));
        this.hub = hub;
    }

    void offer(List<Delivery> batch) {
        if (overflowed || ended) {
            return;
        }
        lock.lock();
        try {
            boolean added = false;
            for (Delivery d : batch) {
                if (sessionId != null && !sessionId.equals(d.event().sessionId())) {
                    continue;
                }
                if (buffer.size() >= capacity) {
                    overflowed = true;
                    hub.overflowed();
                    break;
                }
                buffer.add(d);
                added = true;
            }
            if (added || overflowed) {
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next buffered event, or null after {@code timeoutMs} without one, or when the stream ended (check
     * {@link #ended()}) or overflowed (check {@link #overflowed()}).
     */
    public Delivery poll(long timeoutMs) throws InterruptedException {
        lock.lock();
        try {
            awaitNonEmpty(timeoutMs);
            return buffer.poll();
        } finally {
            lock.unlock();
        }
    }

    /** Moves up to {@code max} buffered events to {@code into} without waiting; returns how many. */
    public int drainTo(List<Delivery> into, int max) {
        lock.lock();
        try {
            int n = 0;
            Delivery d;
            while (n < max && (d = buffer.poll()) != null) {
                into.add(d);
                n++;
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    private void awaitNonEmpty(long timeoutMs) throws InterruptedException {
        long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (buffer.isEmpty() && !ended && !overflowed && nanos > 0) {
            nanos = notEmpty.awaitNanos(nanos);
        }
    }

    /**
     * For readers that take the events from the store and only need to know that something arrived: waits up to
     * {@code timeoutMs} for news, then empties the buffer and forgets an overflow. True when anything arrived.
     */
    public boolean awaitNews(long timeoutMs) throws InterruptedException {
        lock.lock();
        try {
            awaitNonEmpty(timeoutMs);
            boolean news = overflowed || !buffer.isEmpty();
            // The caller reads the store next, so whatever is dropped here is read there.
            overflowed = false;
            buffer.clear();
            return news;
        } finally {
            lock.unlock();
        }
    }

    /** True once the buffer overflowed and what it still held was taken; later events are not buffered. */
    public boolean overflowed() {
        if (!overflowed) {
            return false;
        }
        lock.lock();
        try {
            return buffer.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Events waiting in the buffer. */
    int buffered() {
        lock.lock();
        try {
            return buffer.size();
        } finally {
            lock.unlock();
        }
    }

    public boolean ended() {
        return ended;
    }

    void end() {
        lock.lock();
        try {
            ended = true;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        ended = true;
        hub.remove(this);
    }
}
