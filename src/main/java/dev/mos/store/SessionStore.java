package dev.mos.store;

import dev.mos.model.AuditEntry;
import dev.mos.model.DisplaySettings;
import dev.mos.model.Event;
import dev.mos.model.NewEvent;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where sessions and their events live. Every backend passes {@code SessionStoreContract}. Implementations are
 * thread-safe and hand out immutable values only. Durable backends throw {@link StoreUnavailableException} when
 * the database fails; an append that throws was not stored.
 */
public interface SessionStore extends AutoCloseable {

    /**
     * Stores an event, creating its session on first sight, and returns it with its id and its sequence number
     * (one more than the session's previous one).
     */
    Event append(NewEvent event);

    /**
     * Stores several events, in order. Durable backends commit them in one transaction: all are stored or, with a
     * {@link StoreUnavailableException}, none.
     */
    default List<Event> appendAll(List<NewEvent> events) {
        List<Event> stored = new java.util.ArrayList<>(events.size());
        for (NewEvent event : events) {
            stored.add(append(event));
        }
        return stored;
    }

    /**
     * {@link #append} without holding the caller's thread while a durable store commits: the future completes
     * once the event is committed, or fails with a {@link StoreUnavailableException} when it was not stored.
     * Stores that acknowledge at once (memory) complete it before returning.
     */
    default CompletableFuture<Event> appendAsync(NewEvent event) {
        try {
            return CompletableFuture.completedFuture(append(event));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** {@link #appendAll} without waiting: all events committed, or a failed future and none. */
    default CompletableFuture<List<Event>> appendAllAsync(List<NewEvent> events) {
        try {
            return CompletableFuture.completedFuture(appendAll(events));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    Optional<SessionInfo> session(String sessionId);

    /** All sessions, most recently active first. */
    List<SessionInfo> sessions();

    /** The most recently active session, if any. */
    Optional<String> latestSessionId();

    /** All retained events of a session in sequence order; empty when the session is unknown. */
    List<Event> events(String sessionId);

    /** Up to {@code limit} retained events with a sequence greater than {@code afterSequence}. */
    EventPage eventsAfter(String sessionId, long afterSequence, int limit);

    /** The {@code count} most recent retained events of a session. */
    List<Event> recentEvents(String sessionId, int count);

    /** Returns false when the session is unknown. */
    boolean configureDisplay(String sessionId, DisplaySettings settings);

    /** Removes sessions whose last activity is older than {@code cutoffMs}; returns how many. */
    int expireInactiveBefore(long cutoffMs);

    boolean delete(String sessionId);

    /** Keeps an administrative action; returns it with its id. Entries outlive the sessions they name. */
    AuditEntry recordAudit(AuditEntry entry);

    /** The {@code limit} most recent administrative actions, newest first. */
    List<AuditEntry> auditEntries(int limit);

    /**
     * Events whose {@link SearchText} holds every word of {@code query} (as whole words or their beginnings),
     * newest first, at most {@code limit}, of those with an id below {@code beforeId} (the last one of the
     * previous page; {@link Long#MAX_VALUE} for the first). Durable backends answer from a full-text index kept in the background,
     * so an event is findable shortly (not at once) after it is stored; an empty query finds nothing.
     */
    List<Event> search(String query, long beforeId, int limit);

    StoreStats stats();

    /** The backend's name as configured: memory, sqlite or postgres. */
    default String backend() {
        return "memory";
    }

    /** Where the data lives, safe to log (no secrets). */
    default String description() {
        return backend();
    }

    /**
     * Asks to be told (with the session id) when another process sharing the store commits events, so that live
     * readers here wake up. Backends that cannot push such news ignore it.
     */
    default void onRemoteAppend(java.util.function.Consumer<String> sessionIds) {
    }

    /** Why the store cannot currently serve, or empty when it can. Health readiness follows this. */
    default Optional<String> problem() {
        return Optional.empty();
    }

    @Override
    void close();
}
