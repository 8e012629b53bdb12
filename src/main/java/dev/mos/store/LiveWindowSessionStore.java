package dev.mos.store;

import dev.mos.model.AuditEntry;
import dev.mos.model.DisplaySettings;
import dev.mos.model.Event;
import dev.mos.model.NewEvent;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The live views of a durable store whose retention outlasts the session timeout: sessions inactive for longer
 * than {@code sessionTimeoutMs} leave the session lists, "latest" and the session count at once, while their data
 * stays readable by id (export, tree) until the retention sweep deletes it. Everything else passes through.
 */
public final class LiveWindowSessionStore implements SessionStore {

    private final SessionStore delegate;
    private final long sessionTimeoutMs;
    private final Clock clock;

    public LiveWindowSessionStore(SessionStore delegate, long sessionTimeoutMs, Clock clock) {
        this.delegate = delegate;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.clock = clock;
    }

    private boolean live(SessionInfo info) {
        return info.lastActivityMs() >= clock.millis() - sessionTimeoutMs;
    }

    @Override
    public List<SessionInfo> sessions() {
        // Most recently active first, so the live ones are a prefix.
        return delegate.sessions().stream().takeWhile(this::live).toList();
    }

    @Override
    public Optional<String> latestSessionId() {
        return delegate.latestSessionId().filter(id -> delegate.session(id).map(this::live).orElse(false));
    }

    /** The session count is of live sessions; event and byte figures are of everything still stored. */
    @Override
    public StoreStats stats() {
        StoreStats all = delegate.stats();
        int live;
        try {
            live = sessions().size();
        } catch (StoreUnavailableException e) {
            live = all.sessions();
        }
        return new StoreStats(live, all.retainedEvents(), all.estimatedBytes(), all.budgetBytes(),
                all.droppedEvents(), all.evictedSessions(), all.expiredSessions());
    }

    @Override
    public Event append(NewEvent event) {
        return delegate.append(event);
    }

    @Override
    public List<Event> appendAll(List<NewEvent> events) {
        return delegate.appendAll(events);
    }

    @Override
    public CompletableFuture<Event> appendAsync(NewEvent event) {
        return delegate.appendAsync(event);
    }

    @Override
    public CompletableFuture<List<Event>> appendAllAsync(List<NewEvent> events) {
        return delegate.appendAllAsync(events);
    }

    @Override
    public Optional<SessionInfo> session(String sessionId) {
        return delegate.session(sessionId);
    }

    @Override
    public List<Event> events(String sessionId) {
        return delegate.events(sessionId);
    }

    @Override
    public EventPage eventsAfter(String sessionId, long afterSequence, int limit) {
        return delegate.eventsAfter(sessionId, afterSequence, limit);
    }

    @Override
    public List<Event> recentEvents(String sessionId, int count) {
        return delegate.recentEvents(sessionId, count);
    }

    @Override
    public boolean configureDisplay(String sessionId, DisplaySettings settings) {
        return delegate.configureDisplay(sessionId, settings);
    }

    @Override
    public int expireInactiveBefore(long cutoffMs) {
        return delegate.expireInactiveBefore(cutoffMs);
    }

    @Override
    public boolean delete(String sessionId) {
        return delegate.delete(sessionId);
    }

    @Override
    public AuditEntry recordAudit(AuditEntry entry) {
        return delegate.recordAudit(entry);
    }

    @Override
    public List<Event> search(String query, long beforeId, int limit) {
        return delegate.search(query, beforeId, limit);
    }

    @Override
    public List<AuditEntry> auditEntries(int limit) {
        return delegate.auditEntries(limit);
    }

    @Override
    public String backend() {
        return delegate.backend();
    }

    @Override
    public String description() {
        return delegate.description();
    }

    @Override
    public void onRemoteAppend(Consumer<String> sessionIds) {
        delegate.onRemoteAppend(sessionIds);
    }

    @Override
    public Optional<String> problem() {
        return delegate.problem();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
