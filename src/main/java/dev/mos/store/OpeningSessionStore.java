package dev.mos.store;

import dev.mos.model.AuditEntry;
import dev.mos.model.DisplaySettings;
import dev.mos.model.Event;
import dev.mos.model.NewEvent;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A durable store that opens in the background: opening (the pool, the native driver, migrations) costs more than
 * the rest of a stdio server's start, and Claude Code waits for {@code initialize} before anything else. The
 * transport answers first, then calls {@link #startOpening()}; a call that arrives sooner starts the opening and
 * waits for it. Asynchronous appends wait without holding a thread. When opening fails, calls fail with a
 * {@link StoreUnavailableException} naming the reason (so {@code log_event} says nothing was stored), and the next
 * call after {@link #RETRY_AFTER_MS} tries to open again.
 */
public final class OpeningSessionStore implements SessionStore {

    static final long RETRY_AFTER_MS = 1_000;

    private final Supplier<SessionStore> opener;
    private final String backend;
    private final String description;
    private final LongSupplier millis;
    private final List<Consumer<String>> remoteListeners = new java.util.ArrayList<>();
    private final List<Consumer<SessionStore>> onOpen = new java.util.concurrent.CopyOnWriteArrayList<>();
    private CompletableFuture<SessionStore> opening;
    private long failedAt;
    private boolean closed;
    /** The open store, once the listeners registered so far were handed to it. */
    private SessionStore listening;

    public OpeningSessionStore(Supplier<SessionStore> opener, String backend, String description, LongSupplier millis) {
        this.opener = opener;
        this.backend = backend;
        this.description = description;
        this.millis = millis;
    }

    /**
     * Runs {@code hook} with the open store after it opens and before any call reaches it (so before anything is
     * appended through it). Register before {@link #startOpening()}.
     */
    public void beforeFirstUse(Consumer<SessionStore> hook) {
        onOpen.add(hook);
    }

    /** Starts opening on a background thread, unless it is under way, done, or failed less than a second ago. */
    public synchronized CompletableFuture<SessionStore> startOpening() {
        if (closed) {
            return CompletableFuture.failedFuture(new StoreUnavailableException("storage is closed"));
        }
        boolean retry = opening != null && opening.isCompletedExceptionally()
                && millis.getAsLong() - failedAt >= RETRY_AFTER_MS;
        if (opening == null || retry) {
            CompletableFuture<SessionStore> next = new CompletableFuture<>();
            opening = next;
            Thread thread = new Thread(() -> open(next), "mos-store-open");
            thread.setDaemon(true);
            thread.start();
        }
        return opening;
    }

    private void open(CompletableFuture<SessionStore> result) {
        try {
            SessionStore store = opener.get();
            synchronized (this) {
                remoteListeners.forEach(store::onRemoteAppend);
                listening = store;
            }
            for (Consumer<SessionStore> hook : onOpen) {
                hook.accept(store);
            }
            result.complete(store);
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                failedAt = millis.getAsLong();
            }
            result.completeExceptionally(new StoreUnavailableException("storage unavailable: cannot open "
                    + description + ": " + reason(e), e));
        }
    }

    private static String reason(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** The open store, waiting for it if need be. */
    private SessionStore store() {
        try {
            return startOpening().get();
        } catch (ExecutionException e) {
            throw unavailable(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while the storage was opening", e);
        }
    }

    private static RuntimeException unavailable(Throwable cause) {
        Throwable c = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        return c instanceof StoreUnavailableException s ? s
                : new StoreUnavailableException("storage unavailable: " + reason(c), c);
    }

    /** The store if it is open now, without waiting or starting anything. */
    private synchronized Optional<SessionStore> ifOpen() {
        return opening != null && opening.isDone() && !opening.isCompletedExceptionally()
                ? Optional.of(opening.join()) : Optional.empty();
    }

    @Override
    public Event append(NewEvent event) {
        return store().append(event);
    }

    @Override
    public List<Event> appendAll(List<NewEvent> events) {
        return store().appendAll(events);
    }

    @Override
    public CompletableFuture<Event> appendAsync(NewEvent event) {
        return startOpening().thenCompose(s -> s.appendAsync(event))
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(unavailable(e)));
    }

    @Override
    public CompletableFuture<List<Event>> appendAllAsync(List<NewEvent> events) {
        return startOpening().thenCompose(s -> s.appendAllAsync(events))
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(unavailable(e)));
    }

    @Override
    public Optional<SessionInfo> session(String sessionId) {
        return store().session(sessionId);
    }

    @Override
    public List<SessionInfo> sessions() {
        return store().sessions();
    }

    @Override
    public Optional<String> latestSessionId() {
        return store().latestSessionId();
    }

    @Override
    public List<Event> events(String sessionId) {
        return store().events(sessionId);
    }

    @Override
    public EventPage eventsAfter(String sessionId, long afterSequence, int limit) {
        return store().eventsAfter(sessionId, afterSequence, limit);
    }

    @Override
    public List<Event> recentEvents(String sessionId, int count) {
        return store().recentEvents(sessionId, count);
    }

    @Override
    public boolean configureDisplay(String sessionId, DisplaySettings settings) {
        return store().configureDisplay(sessionId, settings);
    }

    @Override
    public int expireInactiveBefore(long cutoffMs) {
        return store().expireInactiveBefore(cutoffMs);
    }

    @Override
    public boolean delete(String sessionId) {
        return store().delete(sessionId);
    }

    @Override
    public AuditEntry recordAudit(AuditEntry entry) {
        return store().recordAudit(entry);
    }

    @Override
    public List<Event> search(String query, long beforeId, int limit) {
        return store().search(query, beforeId, limit);
    }

    @Override
    public List<AuditEntry> auditEntries(int limit) {
        return store().auditEntries(limit);
    }

    /** Zeros until the store is open: health samples it and must not be the one that waits. */
    @Override
    public StoreStats stats() {
        return ifOpen().map(SessionStore::stats).orElse(new StoreStats(0, 0, 0, 0, 0, 0, 0));
    }

    @Override
    public String backend() {
        return backend;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public synchronized void onRemoteAppend(Consumer<String> sessionIds) {
        remoteListeners.add(sessionIds);
        if (listening != null) {
            listening.onRemoteAppend(sessionIds);
        }
    }

    @Override
    public synchronized Optional<String> problem() {
        if (opening == null || !opening.isDone()) {
            return Optional.of("storage is opening (" + description + ")");
        }
        if (opening.isCompletedExceptionally()) {
            try {
                opening.join();
            } catch (CompletionException | java.util.concurrent.CancellationException e) {
                return Optional.of(reason(unavailable(e)));
            }
        }
        return opening.join().problem();
    }

    /** Closes the store once it is open; an opening under way finishes first, so its file handles are released. */
    @Override
    public void close() {
        CompletableFuture<SessionStore> pending;
        synchronized (this) {
            closed = true;
            pending = opening;
        }
        if (pending == null) {
            return;
        }
        try {
            pending.join().close();
        } catch (CompletionException | java.util.concurrent.CancellationException ignored) {
            // it never opened: nothing to close
        }
    }
}
