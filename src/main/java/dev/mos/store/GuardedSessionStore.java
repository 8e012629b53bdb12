package dev.mos.store;

import dev.mos.model.AuditEntry;
import dev.mos.model.DisplaySettings;
import dev.mos.model.Event;
import dev.mos.model.NewEvent;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A durable store behind a circuit breaker: while the database keeps failing, calls fail at once with a clear
 * reason instead of each waiting for a connection timeout; after the breaker's wait a few calls probe, and the
 * first successes close it again. Only {@link StoreUnavailableException} counts as a failure.
 */
public final class GuardedSessionStore implements SessionStore {

    private final SessionStore delegate;
    private final CircuitBreaker breaker;
    private volatile String lastFailure;

    public GuardedSessionStore(SessionStore delegate, CircuitBreaker breaker) {
        this.delegate = delegate;
        this.breaker = breaker;
    }

    private <T> T guarded(Supplier<T> call) {
        try {
            T result = breaker.executeSupplier(call);
            lastFailure = null;
            return result;
        } catch (CallNotPermittedException e) {
            throw new StoreUnavailableException("storage is unavailable (circuit breaker open after repeated"
                    + " failures" + (lastFailure == null ? "" : "; last: " + lastFailure) + ")");
        } catch (StoreUnavailableException e) {
            lastFailure = e.getMessage();
            throw e;
        }
    }

    @Override
    public Event append(NewEvent event) {
        return guarded(() -> delegate.append(event));
    }

    @Override
    public List<Event> appendAll(List<NewEvent> events) {
        return guarded(() -> delegate.appendAll(events));
    }

    @Override
    public CompletableFuture<Event> appendAsync(NewEvent event) {
        return guardedAsync(() -> delegate.appendAsync(event));
    }

    @Override
    public CompletableFuture<List<Event>> appendAllAsync(List<NewEvent> events) {
        return guardedAsync(() -> delegate.appendAllAsync(events));
    }

    /** The breaker around a call whose outcome arrives later: permission now, success or failure on completion. */
    private <T> CompletableFuture<T> guardedAsync(Supplier<CompletableFuture<T>> call) {
        if (!breaker.tryAcquirePermission()) {
            return CompletableFuture.failedFuture(new StoreUnavailableException("storage is unavailable (circuit"
                    + " breaker open after repeated failures" + (lastFailure == null ? "" : "; last: " + lastFailure)
                    + ")"));
        }
        long started = breaker.getCurrentTimestamp();
        CompletableFuture<T> future;
        try {
            future = call.get();
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        return future.whenComplete((result, failure) -> {
            long elapsed = breaker.getCurrentTimestamp() - started;
            if (failure == null) {
                lastFailure = null;
                breaker.onSuccess(elapsed, breaker.getTimestampUnit());
            } else {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException
                        && failure.getCause() != null ? failure.getCause() : failure;
                if (cause instanceof StoreUnavailableException) {
                    lastFailure = cause.getMessage();
                }
                breaker.onError(elapsed, breaker.getTimestampUnit(), cause);
            }
        });
    }

    @Override
    public Optional<SessionInfo> session(String sessionId) {
        return guarded(() -> delegate.session(sessionId));
    }

    @Override
    public List<SessionInfo> sessions() {
        return guarded(delegate::sessions);
    }

    @Override
    public Optional<String> latestSessionId() {
        return guarded(delegate::latestSessionId);
    }

    @Override
    public List<Event> events(String sessionId) {
        return guarded(() -> delegate.events(sessionId));
    }

    @Override
    public EventPage eventsAfter(String sessionId, long afterSequence, int limit) {
        return guarded(() -> delegate.eventsAfter(sessionId, afterSequence, limit));
    }

    @Override
    public List<Event> recentEvents(String sessionId, int count) {
        return guarded(() -> delegate.recentEvents(sessionId, count));
    }

    @Override
    public boolean configureDisplay(String sessionId, DisplaySettings settings) {
        return guarded(() -> delegate.configureDisplay(sessionId, settings));
    }

    @Override
    public int expireInactiveBefore(long cutoffMs) {
        return guarded(() -> delegate.expireInactiveBefore(cutoffMs));
    }

    @Override
    public boolean delete(String sessionId) {
        return guarded(() -> delegate.delete(sessionId));
    }

    @Override
    public AuditEntry recordAudit(AuditEntry entry) {
        return guarded(() -> delegate.recordAudit(entry));
    }

    @Override
    public List<Event> search(String query, long beforeId, int limit) {
        return guarded(() -> delegate.search(query, beforeId, limit));
    }

    @Override
    public List<AuditEntry> auditEntries(int limit) {
        return guarded(() -> delegate.auditEntries(limit));
    }

    @Override
    public StoreStats stats() {
        return delegate.stats();
    }

    @Override
    public String backend() {
        return delegate.backend();
    }

    @Override
    public String description() {
        return delegate.description();
    }

    /**
     * Asks the database directly, not through the breaker: health sees recovery as soon as it happens (an open
     * breaker alone must not keep a replica out of its load balancer, or no call would ever close it).
     */
    @Override
    public Optional<String> problem() {
        return delegate.problem();
    }

    @Override
    public void onRemoteAppend(java.util.function.Consumer<String> sessionIds) {
        delegate.onRemoteAppend(sessionIds);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
