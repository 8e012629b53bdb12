package dev.mos.query;

import dev.mos.MutableClock;
import dev.mos.ingest.EventDecoder;
import dev.mos.ingest.IngestMetrics;
import dev.mos.ingest.IngestPipeline;
import dev.mos.live.LiveFeed;
import dev.mos.model.Event;
import dev.mos.store.StoreLimits;
import dev.mos.store.memory.MemorySessionStore;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** A memory store, the real ingest pipeline and a query service over them, with a hand-moved clock. */
final class QueryFixture implements AutoCloseable {

    static final long T0 = 1_764_000_000_000L;
    static final long SERVER_SLOW_MS = 500;

    final MutableClock clock = new MutableClock(T0);
    final JsonMapper json = JsonMapper.builder().build();
    final MemorySessionStore store;
    final IngestPipeline pipeline;
    final QueryService query;
    final EventJson eventJson = new EventJson(json);
    final TreeText treeText = new TreeText(eventJson);

    QueryFixture() {
        this(1_000);
    }

    QueryFixture(int maxEventsPerSession) {
        store = new MemorySessionStore(new StoreLimits(maxEventsPerSession, 64L << 20), clock);
        pipeline = new IngestPipeline(new EventDecoder(json, clock), store, new LiveFeed(), IngestMetrics.NOOP);
        query = new QueryService(store, clock, SERVER_SLOW_MS, QueryMetrics.NOOP, json);
    }

    /** One event; {@code ts} is relative to T0, null fields are left out. */
    Event send(String session, String type, String correlation, String parent, String name, long ts, Long duration,
            Map<String, Object> extraDetails) {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("session_id", session);
        raw.put("event_type", type);
        raw.put("timestamp", T0 + ts);
        if (correlation != null) {
            raw.put("correlation_id", correlation);
        }
        if (parent != null) {
            raw.put("parent_id", parent);
        }
        if (duration != null) {
            raw.put("duration_ms", duration);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        if (name != null) {
            details.put("name", name);
        }
        if (extraDetails != null) {
            details.putAll(extraDetails);
        }
        if (!details.isEmpty()) {
            raw.put("details", details);
        }
        return pipeline.acceptRaw(raw, "test").event();
    }

    Event send(String session, String type, String correlation, String parent, String name, long ts) {
        return send(session, type, correlation, parent, name, ts, null, null);
    }

    /** A finished call: start at {@code ts}, end {@code duration} later. */
    void call(String session, String kind, String correlation, String parent, String name, long ts, long duration,
            boolean failed) {
        String startType = kind.equals("mcp") ? "mcp_request" : "tool_pre_call";
        String endType = kind.equals("mcp") ? (failed ? "mcp_error" : "mcp_response")
                : failed ? "tool_error" : "tool_post_call";
        send(session, startType, correlation, parent, name, ts);
        send(session, endType, correlation, null, null, ts + duration, duration, null);
    }

    /**
     * The Claude-Code demo session: a running task with a fast Read, a failing Bash, a long MCP call and a running
     * subagent. The clock stands at T0 + 100 s.
     */
    void demoSession(String session) {
        send(session, "task_started", "T", null, "Implement feature", 0);
        call(session, "tool", "A", "T", "Read", 10, 245, false);
        send(session, "tool_pre_call", "B", "T", "Bash", 300);
        send(session, "tool_error", "B", null, null, 1_500, 1_200L, Map.of("error", "exit code 1"));
        call(session, "mcp", "C", "T", "mcp__github__search", 2_000, 75_000, false);
        Map<String, Object> spawn = new LinkedHashMap<>();
        spawn.put("session_id", session);
        spawn.put("event_type", "subagent_spawn");
        spawn.put("timestamp", T0 + 80_000);
        spawn.put("correlation_id", "D");
        spawn.put("parent_id", "T");
        spawn.put("details", Map.of("name", "researcher"));
        spawn.put("display_info", Map.of("icon", "🔬"));
        pipeline.acceptRaw(spawn, "test");
        clock.set(T0 + 100_000);
    }

    @Override
    public void close() {
        store.close();
    }
}
