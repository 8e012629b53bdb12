package dev.mos.mcp.tools;

import dev.mos.live.LiveFeed;
import dev.mos.live.Subscription;
import dev.mos.mcp.McpTool;
import dev.mos.mcp.ProgressSink;
import dev.mos.mcp.ToolArguments;
import dev.mos.mcp.ToolResult;
import dev.mos.model.ActivityTree;
import dev.mos.model.Event;
import dev.mos.model.OperationNode;
import dev.mos.query.EventJson;
import dev.mos.query.EventLines;
import dev.mos.query.QueryService;
import dev.mos.query.TextStyle;
import dev.mos.store.EventPage;
import dev.mos.store.SessionInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/**
 * stream_activity: without a cursor, the replay buffer (the bufferSize most recent events); with one, what came
 * after it. With wait_ms it long-polls: a plain call returns as soon as something arrives; a call with a progress
 * token stays for the whole wait, announcing each event as an MCP progress notification. Either way next_cursor
 * is where to continue, and slow operations are called out.
 */
public final class StreamActivityTool implements McpTool {

    public static final long MAX_WAIT_MS = 60_000;
    /** Only a wake-up signal: the events themselves are read from the store. */
    private static final int NEWS_BUFFER = 16;

    private final QueryService query;
    private final LiveFeed live;
    private final EventJson eventJson;
    private final JsonMapper mapper;
    private final int bufferSize;

    public StreamActivityTool(QueryService query, LiveFeed live, EventJson eventJson, JsonMapper mapper,
            int bufferSize) {
        this.query = query;
        this.live = live;
        this.eventJson = eventJson;
        this.mapper = mapper;
        this.bufferSize = bufferSize;
    }

    @Override
    public String name() {
        return "stream_activity";
    }

    @Override
    public String description() {
        return "Follow a session's events. Without cursor: the most recent events (replay buffer). With cursor "
                + "(a previous next_cursor): only newer events. wait_ms long-polls for new events (with a progress "
                + "token, each event is also sent as a progress notification). Slow operations are flagged.";
    }

    @Override
    public String inputSchema() {
        return """
                {"type": "object", "properties": {
                  %s,
                  "output_format": {"type": "string", "enum": ["claude_code_style", "json", "plain"], "default": "claude_code_style"},
                  "show_progress": {"type": "boolean", "default": true},
                  "collapse_completed": {"type": "boolean", "default": false},
                  "cursor": {"type": "integer", "minimum": 0, "description": "next_cursor of a previous call"},
                  "wait_ms": {"type": "integer", "minimum": 0, "maximum": %d, "default": 0},
                  "max_events": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}}}
                """.formatted(Schemas.SESSION_ID, MAX_WAIT_MS);
    }

    @Override
    public String outputSchema() {
        return """
                {"type": "object", "required": ["session_id", "events", "next_cursor"], "properties": {
                  "session_id": {"type": "string"}, "events": {"type": "array", "items": {"type": "object"}},
                  "next_cursor": {"type": "integer"}, "missed": {"type": "integer"}, "has_more": {"type": "boolean"},
                  "slow_operations": {"type": "array", "items": {"type": "object"}}, "text": {"type": "string"}}}
                """;
    }

    @Override
    public Set<String> parameters() {
        return Set.of("session_id", "output_format", "show_progress", "collapse_completed", "cursor", "wait_ms",
                "max_events");
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    @Override
    public boolean mayBlock() {
        return true;
    }

    /** With a cursor and wait_ms the call waits for new events (see {@link #call}); without a cursor it never does. */
    @Override
    public boolean longPoll(Map<String, Object> arguments) {
        if (arguments == null || arguments.get("cursor") == null) {
            return false;
        }
        Object wait = arguments.get("wait_ms");
        if (wait instanceof Number n) {
            return n.doubleValue() > 0;
        }
        if (wait instanceof String text) {
            try {
                return Double.parseDouble(text.trim()) > 0;
            } catch (NumberFormatException e) {
                return false; // refused as an invalid argument, quickly
            }
        }
        return false;
    }

    @Override
    public ToolResult call(ToolArguments args, ProgressSink progress) {
        String format = args.choice("output_format", "claude_code_style", GetActivityTreeTool.FORMATS);
        boolean showProgress = args.bool("show_progress", true);
        boolean collapseCompleted = args.bool("collapse_completed", false);
        Long cursor = args.optionalLong("cursor", 0, Long.MAX_VALUE);
        long waitMs = args.integer("wait_ms", 0, 0, MAX_WAIT_MS);
        int maxEvents = (int) args.integer("max_events", 100, 1, 1000);
        SessionInfo info = query.resolve(args.string("session_id", QueryService.LATEST));
        String sessionId = info.sessionId();
        ProgressSink sink = showProgress ? progress : ProgressSink.NONE;

        List<Event> collected = new ArrayList<>();
        long missed = 0;
        boolean more = false;
        long next;
        if (cursor == null) {
            collected.addAll(query.recentEvents(sessionId, Math.min(bufferSize, maxEvents)));
            next = collected.isEmpty() ? info.lastSequence() : collected.getLast().sequence();
        } else {
            next = cursor;
            long deadline = System.currentTimeMillis() + waitMs;
            // Subscribed before each store read: an event committed after the read is then always noticed.
            try (Subscription news = live.streams().subscribe(sessionId, NEWS_BUFFER)) {
                while (true) {
                    EventPage page = query.eventsAfter(sessionId, next, maxEvents - collected.size());
                    missed += page.missed();
                    more = page.more();
                    for (Event e : page.events()) {
                        collected.add(e);
                        if (sink.active()) {
                            sink.progress(collected.size(), e.type().wireName() + " "
                                    + (e.name() == null ? "" : e.name()) + " #" + e.sequence());
                        }
                    }
                    next = page.nextCursor(next);
                    long remaining = deadline - System.currentTimeMillis();
                    if (more || collected.size() >= maxEvents || remaining <= 0
                            || !collected.isEmpty() && !sink.active()) {
                        break;
                    }
                    if (!news.awaitNews(remaining) && news.ended()) {
                        break; // shutting down
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return result(query.resolve(sessionId), collected, next, missed, more, format, collapseCompleted);
    }

    private ToolResult result(SessionInfo info, List<Event> collected, long next, long missed, boolean more,
            String format, boolean collapseCompleted) {
        ActivityTree tree = query.tree(info);
        long slowMs = info.displaySettings().slowThresholdMs(query.serverSlowThresholdMs());
        long now = query.nowMs();
        Map<Long, OperationNode> byEvent = new HashMap<>();
        List<Map<String, Object>> slow = new ArrayList<>();
        tree.forEach(node -> {
            if (node.start() != null) {
                byEvent.put(node.start().id(), node);
            }
            if (node.end() != null) {
                byEvent.put(node.end().id(), node);
            }
            node.progress().forEach(p -> byEvent.put(p.id(), node));
        });
        TextStyle style = format.equals("plain") ? TextStyle.PLAIN : TextStyle.CLAUDE_CODE;
        List<Map<String, Object>> events = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Event e : collected) {
            OperationNode op = byEvent.get(e.id());
            if (collapseCompleted && op != null && !e.type().closes() && !op.running()) {
                continue;
            }
            Map<String, Object> json = eventJson.event(e);
            if (op != null) {
                json.put("operation_id", op.id());
                long elapsed = op.elapsedMs(now);
                if (elapsed > slowMs && (e.type().closes() || op.running())) {
                    json.put("slow", true);
                    if (slow.stream().noneMatch(s -> s.get("id").equals(op.id()))) {
                        Map<String, Object> s = new LinkedHashMap<>();
                        s.put("id", op.id());
                        s.put("kind", op.kind().wireName());
                        s.put("name", op.name());
                        s.put("status", op.status().wireName());
                        s.put("duration_ms", elapsed);
                        s.put("threshold_ms", slowMs);
                        slow.add(s);
                    }
                }
            }
            events.add(json);
            text.append(EventLines.line(e, op, slowMs, now, style)).append('\n');
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("session_id", info.sessionId());
        out.put("events", events);
        out.put("next_cursor", next);
        out.put("missed", missed);
        out.put("has_more", more);
        out.put("slow_operations", slow);
        if (format.equals("json")) {
            return ToolResult.ok(mapper.writeValueAsString(out), out);
        }
        StringBuilder header = new StringBuilder("Session " + info.sessionId() + " · " + events.size()
                + " events · next_cursor " + next);
        if (missed > 0) {
            header.append(" · ").append(missed).append(" events were dropped before you read them");
        }
        if (more) {
            header.append(" · more available");
        }
        header.append('\n');
        for (Map<String, Object> s : slow) {
            header.append(style == TextStyle.CLAUDE_CODE ? "🐢 " : "SLOW ").append(s.get("kind")).append(' ')
                    .append(s.get("name")).append(" took ").append(s.get("duration_ms")).append(" ms (threshold ")
                    .append(slowMs).append(" ms)\n");
        }
        String rendered = header + text.toString();
        out.put("text", rendered);
        return ToolResult.ok(rendered, out);
    }
}
