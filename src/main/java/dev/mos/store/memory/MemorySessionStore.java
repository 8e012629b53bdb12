package dev.mos.store.memory;

import dev.mos.model.AuditEntry;
import dev.mos.model.DisplaySettings;
import dev.mos.model.Event;
import dev.mos.model.NewEvent;
import dev.mos.store.EventPage;
import dev.mos.store.SessionInfo;
import dev.mos.store.SessionStore;
import dev.mos.store.StoreLimits;
import dev.mos.store.StoreStats;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sessions in a concurrent map, each with a bounded ring of events. A global byte budget is kept by evicting
 * whole least-recently-active sessions, never single events of a live one.
 */
public final class MemorySessionStore implements SessionStore {

    /** Share the few distinct operation names (Read, Bash, ...) instead of keeping a copy per event. */
    private static final int INTERN_MAX_LENGTH = 64;
    private static final int INTERN_MAX_ENTRIES = 10_000;
    /** Nothing persists in memory anyway: the newest administrative actions are enough to answer who did what. */
    private static final int MAX_AUDIT_ENTRIES = 10_000;

    private final StoreLimits limits;
    private final Clock clock;
    private final ConcurrentHashMap<String, MemorySession> sessions = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> names = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong totalBytes = new AtomicLong();
    private final AtomicLong retainedEvents = new AtomicLong();
    private final AtomicLong droppedEvents = new AtomicLong();
    private final AtomicLong evictedSessions = new AtomicLong();
    private final AtomicLong expiredSessions = new AtomicLong();
    private final ReentrantLock evictionLock = new ReentrantLock();
    private final java.util.ArrayDeque<AuditEntry> audit = new java.util.ArrayDeque<>();
    private long auditIds; // guarded by audit
    private volatile MemorySession latest;

    public MemorySessionStore(StoreLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    @Override
    public Event append(NewEvent draft) {
        NewEvent event = withSharedName(draft);
        while (true) {
            MemorySession session = sessions.computeIfAbsent(event.sessionId(),
                    id -> new MemorySession(id, clock.millis(), limits.maxEventsPerSession()));
            Event stored;
            synchronized (session) {
                if (session.removed) {
                    continue; // evicted or expired between lookup and lock: start the session afresh
                }
                stored = event.stored(session.sessionId, ids.incrementAndGet(), session.lastSequence + 1);
                session.lastSequence = stored.sequence();
                if (session.project == null) {
                    session.project = event.project();
                }
                if (session.sender == null) {
                    session.sender = event.sender();
                }
                if (session.agent == null) {
                    session.agent = event.agent();
                }
                session.lastActivityMs = clock.millis();
                long added = estimatedBytes(stored);
                Event dropped = session.ring.add(stored);
                if (dropped != null) {
                    added -= estimatedBytes(dropped);
                    session.droppedEvents++;
                    droppedEvents.incrementAndGet();
                } else {
                    retainedEvents.incrementAndGet();
                }
                session.bytes += added;
                totalBytes.addAndGet(added);
            }
            latest = session;
            if (totalBytes.get() > limits.maxBytes()) {
                evictUntilWithinBudget(session);
            }
            return stored;
        }
    }

    private NewEvent withSharedName(NewEvent event) {
        String name = event.name();
        if (name == null || name.length() > INTERN_MAX_LENGTH) {
            return event;
        }
        String shared = names.get(name);
        if (shared == null) {
            if (names.size() >= INTERN_MAX_ENTRIES) {
                return event;
            }
            shared = names.computeIfAbsent(name, n -> n);
        }
        if (shared == name) {
            return event;
        }
        return new NewEvent(event.sessionId(), event.type(), event.status(), event.timestamp(), event.durationMs(),
                event.parentId(), event.correlationId(), shared, event.description(), event.detailsJson(),
                event.displayInfo(), event.sender());
    }

    /**
     * A rough count of the heap an event holds: the record, its ring slot and boxed duration, and its strings
     * (the session id and short names are shared, so they count as references only). Checked against a heap
     * histogram by bench/run-memory.sh.
     */
    static long estimatedBytes(Event e) {
        long bytes = 116 + chars(e.parentId()) + chars(e.correlationId()) + chars(e.description())
                + chars(e.detailsJson());
        if (e.name() != null && e.name().length() > INTERN_MAX_LENGTH) {
            bytes += chars(e.name());
        }
        if (e.displayInfo() != null) {
            bytes += 32 + chars(e.displayInfo().name()) + chars(e.displayInfo().description())
                    + chars(e.displayInfo().icon()) + chars(e.displayInfo().color());
        }
        return bytes;
    }

    private static long chars(String s) {
        return s == null ? 0 : 40 + s.length();
    }

    private void evictUntilWithinBudget(MemorySession keep) {
        if (!evictionLock.tryLock()) {
            return; // another writer is already evicting
        }
        try {
            long target = limits.maxBytes() - limits.maxBytes() / 10;
            if (totalBytes.get() <= limits.maxBytes()) {
                return;
            }
            List<MemorySession> byAge = new ArrayList<>(sessions.values());
            byAge.sort(Comparator.comparingLong(s -> s.lastActivityMs));
            for (MemorySession candidate : byAge) {
                if (totalBytes.get() <= target) {
                    break;
                }
                if (candidate != keep && remove(candidate)) {
                    evictedSessions.incrementAndGet();
                }
            }
        } finally {
            evictionLock.unlock();
        }
    }

    private boolean remove(MemorySession session) {
        synchronized (session) {
            if (session.removed) {
                return false;
            }
            session.removed = true;
            sessions.remove(session.sessionId, session);
            totalBytes.addAndGet(-session.bytes);
            retainedEvents.addAndGet(-session.ring.size());
        }
        if (latest == session) {
            latest = null;
        }
        return true;
    }

    @Override
    public Optional<SessionInfo> session(String sessionId) {
        MemorySession session = sessions.get(sessionId);
        if (session == null) {
            return Optional.empty();
        }
        synchronized (session) {
            return Optional.of(session.info());
        }
    }

    @Override
    public List<SessionInfo> sessions() {
        List<SessionInfo> infos = new ArrayList<>(sessions.size());
        for (MemorySession session : sessions.values()) {
            synchronized (session) {
                infos.add(session.info());
            }
        }
        infos.sort(Comparator.comparingLong(SessionInfo::lastActivityMs).reversed()
                .thenComparing(SessionInfo::sessionId));
        return infos;
    }

    @Override
    public Optional<String> latestSessionId() {
        MemorySession current = latest;
        if (current != null && !current.removed) {
            return Optional.of(current.sessionId);
        }
        return sessions().stream().findFirst().map(SessionInfo::sessionId);
    }

    @Override
    public List<Event> events(String sessionId) {
        MemorySession session = sessions.get(sessionId);
        if (session == null) {
            return List.of();
        }
        synchronized (session) {
            return session.ring.copy(0, session.ring.size());
        }
    }

    /** A scan: memory holds at most what fits in its byte budget, and is searched as it is. */
    @Override
    public List<Event> search(String query, long beforeId, int limit) {
        List<String> words = dev.mos.store.SearchText.words(query);
        if (words.isEmpty()) {
            return List.of();
        }
        List<Event> found = new ArrayList<>();
        for (MemorySession session : sessions.values()) {
            for (Event e : events(session.sessionId)) {
                if (e.id() < beforeId && dev.mos.store.SearchText.matches(dev.mos.store.SearchText.of(e), words)) {
                    found.add(e);
                }
            }
        }
        found.sort(Comparator.comparingLong(Event::id).reversed());
        return found.size() > limit ? List.copyOf(found.subList(0, limit)) : found;
    }

    @Override
    public EventPage eventsAfter(String sessionId, long afterSequence, int limit) {
        MemorySession session = sessions.get(sessionId);
        if (session == null) {
            return new EventPage(List.of(), 0, false, 0);
        }
        synchronized (session) {
            int from = session.indexAfter(afterSequence);
            int to = (int) Math.min(session.ring.size(), (long) from + Math.max(0, limit));
            List<Event> page = session.ring.copy(from, to);
            long firstReturned = page.isEmpty() ? session.lastSequence + 1 : page.getFirst().sequence();
            long missed = Math.max(0, firstReturned - Math.max(afterSequence, 0) - 1);
            return new EventPage(page, missed, to < session.ring.size(), session.lastSequence);
        }
    }

    @Override
    public List<Event> recentEvents(String sessionId, int count) {
        MemorySession session = sessions.get(sessionId);
        if (session == null) {
            return List.of();
        }
        synchronized (session) {
            int size = session.ring.size();
            return session.ring.copy(Math.max(0, size - Math.max(0, count)), size);
        }
    }

    @Override
    public boolean configureDisplay(String sessionId, DisplaySettings settings) {
        MemorySession session = sessions.get(sessionId);
        if (session == null) {
            return false;
        }
        synchronized (session) {
            session.displaySettings = settings;
        }
        return true;
    }

    @Override
    public int expireInactiveBefore(long cutoffMs) {
        int expired = 0;
        for (MemorySession session : sessions.values()) {
            boolean stale;
            synchronized (session) {
                stale = session.lastActivityMs < cutoffMs;
            }
            if (stale && remove(session)) {
                expired++;
            }
        }
        expiredSessions.addAndGet(expired);
        return expired;
    }

    @Override
    public boolean delete(String sessionId) {
        MemorySession session = sessions.get(sessionId);
        return session != null && remove(session);
    }

    @Override
    public AuditEntry recordAudit(AuditEntry entry) {
        synchronized (audit) {
            AuditEntry stored = entry.withId(++auditIds);
            audit.addFirst(stored);
            if (audit.size() > MAX_AUDIT_ENTRIES) {
                audit.removeLast();
            }
            return stored;
        }
    }

    @Override
    public List<AuditEntry> auditEntries(int limit) {
        synchronized (audit) {
            return audit.stream().limit(limit).toList();
        }
    }

    @Override
    public StoreStats stats() {
        return new StoreStats(sessions.size(), retainedEvents.get(), totalBytes.get(), limits.maxBytes(),
                droppedEvents.get(), evictedSessions.get(), expiredSessions.get());
    }

    @Override
    public void close() {
        sessions.clear();
    }
}
