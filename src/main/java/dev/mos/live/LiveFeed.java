package dev.mos.live;

import dev.mos.model.Event;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lets readers wait for the next event of a session without polling. Publishing costs one counter read when
 * nobody waits, so ingestion never pays for idle streams; a waiter holds a future, never a buffer, so a slow
 * reader cannot slow the writer.
 */
public final class LiveFeed {

    private final ConcurrentHashMap<String, CompletableFuture<Event>> nextEvent = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final CompletableFuture<Event> closed = new CompletableFuture<>();
    private final StreamHub streams;

    public LiveFeed() {
        this(new StreamHub());
    }

    public LiveFeed(StreamHub streams) {
        this.streams = streams;
    }

    /** The bounded-buffer fan-out used by push streams (SSE, resource notifications). */
    public StreamHub streams() {
        return streams;
    }

    /**
     * Wakes the long-poll readers of a session without an event in hand (another replica stored it); they read
     * what is new from the store. Push streams are not involved.
     */
    public void wake(String sessionId) {
        if (waiting.get() == 0) {
            return;
        }
        CompletableFuture<Event> signal = nextEvent.remove(sessionId);
        if (signal != null) {
            signal.complete(null);
        }
    }

    public void publish(Event event) {
        streams.publish(event);
        if (waiting.get() == 0) {
            return;
        }
        CompletableFuture<Event> signal = nextEvent.remove(event.sessionId());
        if (signal != null) {
            signal.complete(event);
        }
    }

    /**
     * Registers interest in the next event of a session. Take the waiter <em>before</em> reading the store, then
     * {@link Waiter#await} only if the store had nothing new: an event stored in between still wakes it.
     */
    public Waiter waiter(String sessionId) {
        waiting.incrementAndGet();
        return new Waiter(nextEvent.computeIfAbsent(sessionId, id -> new CompletableFuture<>()));
    }

    /** Readers registered right now. */
    public int waitingReaders() {
        return waiting.get();
    }

    /** Wakes every waiter for good; used on shutdown so that long polls end promptly. */
    public void close() {
        closed.complete(null);
        streams.close();
    }

    /** One reader's interest in the next event of one session. */
    public final class Waiter implements AutoCloseable {

        private final CompletableFuture<Event> signal;
        private boolean released;

        private Waiter(CompletableFuture<Event> signal) {
            this.signal = signal;
        }

        /** @return true when an event arrived, false on timeout or shutdown */
        public boolean await(long timeoutMs) throws InterruptedException {
            if (timeoutMs <= 0 || closed.isDone()) {
                return signal.isDone();
            }
            try {
                CompletableFuture.anyOf(signal, closed).get(timeoutMs, TimeUnit.MILLISECONDS);
                return signal.isDone();
            } catch (TimeoutException | ExecutionException e) {
                return false;
            }
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                waiting.decrementAndGet();
            }
        }
    }
}
