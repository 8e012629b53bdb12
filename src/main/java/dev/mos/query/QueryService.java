package dev.mos.query;

import dev.mos.model.ActivityTree;
import dev.mos.model.DisplaySettings;
import dev.mos.model.Event;
import dev.mos.model.SessionMetrics;
import dev.mos.model.SessionStatus;
import dev.mos.model.TreeBuilder;
import dev.mos.store.EventPage;
import dev.mos.store.SessionInfo;
import dev.mos.store.SessionStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import tools.jackson.databind.json.JsonMapper;

/** Reads sessions, trees, events and analytics for every front end (MCP tools, HTTP, later the UI). */
public final class QueryService {

    public static final String LATEST = "latest";

    private final SessionStore store;
    private final Clock clock;
    private final long slowThresholdMs;
    private final QueryMetrics metrics;
    private final TreeCache cache = new TreeCache(64);
    private final EventJson details;

    public QueryService(SessionStore store, Clock clock, long slowThresholdMs, QueryMetrics metrics) {
        this(store, clock, slowThresholdMs, metrics, JsonMapper.builder().build());
    }

    /** {@code json} reads event details (model, tokens and cost of LLM operations). */
    public QueryService(SessionStore store, Clock clock, long slowThresholdMs, QueryMetrics metrics,
            JsonMapper json) {
        this.details = new EventJson(json);
        this.store = store;
        this.clock = clock;
        this.slowThresholdMs = slowThresholdMs;
        this.metrics = metrics;
    }

    public long nowMs() {
        return clock.millis();
    }

    public long serverSlowThresholdMs() {
        return slowThresholdMs;
    }

    /** Resolves "latest" (or null/blank) to the most recently active session and checks that the id is known. */
    public SessionInfo resolve(String sessionId) {
        if (sessionId == null || sessionId.isBlank() || LATEST.equals(sessionId)) {
            String latest = store.latestSessionId().orElseThrow(() ->
                    new UnknownSessionException("no sessions yet: log an event first"));
            return store.session(latest).orElseThrow(() ->
                    new UnknownSessionException("session '" + latest + "' expired while being read"));
        }
        return store.session(sessionId).orElseThrow(() -> new UnknownSessionException(
                "session '" + sessionId + "' not found" + knownSessionsHint()));
    }

    private String knownSessionsHint() {
        List<SessionInfo> sessions = store.sessions();
        if (sessions.isEmpty()) {
            return "; there are no sessions yet";
        }
        return "; most recent sessions: " + sessions.stream().limit(5).map(SessionInfo::sessionId)
                .collect(Collectors.joining(", ")) + " (or use \"latest\")";
    }

    public ActivityTree tree(SessionInfo info) {
        return entry(info).tree;
    }

    private TreeCache.Entry entry(SessionInfo info) {
        TreeCache.Entry cached = cache.get(info.sessionId(), info.createdMs(), info.lastSequence(),
                info.droppedEvents());
        if (cached != null) {
            return cached;
        }
        long started = System.nanoTime();
        List<Event> events = store.events(info.sessionId());
        long lastSequence = events.isEmpty() ? info.lastSequence() : events.getLast().sequence();
        long dropped = Math.max(info.droppedEvents(), events.isEmpty() ? 0 : events.getFirst().sequence() - 1);
        ActivityTree tree = TreeBuilder.build(info.sessionId(), events, dropped);
        metrics.treeBuilt(System.nanoTime() - started);
        return cache.put(info.sessionId(), new TreeCache.Entry(info.createdMs(), lastSequence, dropped, tree));
    }

    public SessionView view(SessionInfo info) {
        TreeCache.Entry entry = entry(info);
        ActivityTree tree = entry.tree;
        return new SessionView(info, tree, SessionStatus.of(tree), SessionMetrics.of(tree, nowMs()),
                () -> entry.usage(this::usage), () -> entry.lifecycle(t -> SessionLifecycle.of(t, details)));
    }

    private SessionUsage usage(ActivityTree tree) {
        return UsageRollup.of(tree, details::extra);
    }

    public SessionView view(String sessionId) {
        return view(resolve(sessionId));
    }

    /** Sessions, most recently active first, optionally only those in one status. */
    public List<SessionView> list(Optional<SessionStatus> status, int limit) {
        return list(new SessionFilter(null, null, null, status.orElse(null), null, null, null), limit);
    }

    /**
     * Sessions, most recently active first, that the filter keeps (what the session row decides is checked before
     * any tree is built).
     */
    public List<SessionView> list(SessionFilter filter, int limit) {
        List<SessionView> views = new ArrayList<>();
        for (SessionInfo info : store.sessions()) {
            if (views.size() >= limit) {
                break;
            }
            if (!filter.matchesInfo(info)) {
                continue;
            }
            SessionView view = view(info);
            if (filter.matches(view)) {
                views.add(view);
            }
        }
        return views;
    }

    /** What the store knows of every session, most recently active first (no trees built). */
    public List<SessionInfo> sessionsSnapshot() {
        return store.sessions();
    }

    public int sessionCount() {
        return store.stats().sessions();
    }

    public EventPage eventsAfter(String sessionId, long cursor, int limit) {
        return store.eventsAfter(sessionId, cursor, limit);
    }

    public List<Event> recentEvents(String sessionId, int count) {
        return store.recentEvents(sessionId, count);
    }

    /**
     * Events whose captured text holds every word of the query, newest first, with ids below {@code beforeId}
     * (the store's full-text index).
     */
    public List<Event> searchEvents(String text, long beforeId, int limit) {
        return store.search(text, beforeId, limit);
    }

    public List<Event> events(String sessionId) {
        return store.events(sessionId);
    }

    public List<ToolStats> toolAnalytics(String sessionId, String toolName) {
        List<ActivityTree> trees = new ArrayList<>();
        if (sessionId != null && !sessionId.isBlank()) {
            trees.add(tree(resolve(sessionId)));
        } else {
            for (SessionInfo info : store.sessions()) {
                trees.add(tree(info));
            }
        }
        return ToolAnalytics.of(trees, toolName);
    }

    public DisplaySettings configureDisplay(String sessionId, DisplaySettings settings) {
        SessionInfo info = resolve(sessionId);
        if (!store.configureDisplay(info.sessionId(), settings)) {
            throw new UnknownSessionException("session '" + info.sessionId() + "' expired while being configured");
        }
        return settings;
    }

    /** Deletes a session and its events; an unknown id is an {@link UnknownSessionException}. */
    public void delete(String sessionId) {
        if (!store.delete(sessionId)) {
            throw new UnknownSessionException("session '" + sessionId + "' not found" + knownSessionsHint());
        }
    }

    public RenderOptions renderOptions(SessionInfo info, boolean includeCompleted, Integer maxDepth) {
        return RenderOptions.of(info.displaySettings(), slowThresholdMs, includeCompleted, maxDepth, nowMs());
    }
}
