package dev.mos.bench;

import dev.mos.ingest.EventDecoder;
import dev.mos.ingest.IngestMetrics;
import dev.mos.ingest.IngestPipeline;
import dev.mos.live.LiveFeed;
import dev.mos.model.NewEvent;
import dev.mos.store.StoreLimits;
import dev.mos.store.memory.MemorySessionStore;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * Realistic event traffic for the benchmarks: Claude-Code-style tool calls, a tool_pre_call followed by its
 * tool_post_call with the same correlation id ("toolu_01" + counter), names from a small set, details of about
 * 60 characters of JSON, spread round-robin over a number of sessions.
 *
 * <p>Raw events are built the way Jackson hands a parsed JSON object to the pipeline: {@link LinkedHashMap}s
 * whose string values are fresh instances (never literals), so the store's name sharing and the decoder's
 * copying behave as they do behind a real transport.
 */
final class BenchEvents {

    static final String[] NAMES = {"Read", "Bash", "Edit", "Grep", "mcp__github__search"};
    static final long BASE_MS = Instant.parse("2026-01-15T10:00:00Z").toEpochMilli();

    private BenchEvents() {
    }

    static JsonMapper json() {
        return JsonMapper.builder().build();
    }

    static IngestPipeline pipeline(MemorySessionStore store) {
        return new IngestPipeline(new EventDecoder(json(), Clock.systemUTC()), store, new LiveFeed(),
                IngestMetrics.NOOP);
    }

    static MemorySessionStore store(int maxEventsPerSession, long maxBytes) {
        return new MemorySessionStore(new StoreLimits(maxEventsPerSession, maxBytes), Clock.systemUTC());
    }

    /** A UUID-shaped session id, like Claude Code's, deterministic per index. */
    static String sessionId(int session) {
        return new UUID(0x5e5510_0000_0000L + session, 0x8000_0000_0000_0000L | session * 7919L).toString();
    }

    /**
     * The {@code n}-th event of a stream spread over {@code sessions} sessions: even n is a tool_pre_call, odd n
     * the matching tool_post_call (same session, same correlation id, same name).
     *
     * @param isoTimestamps ISO-8601 strings (as hooks usually send) or epoch-millisecond numbers
     */
    static Map<String, Object> raw(long n, int sessions, boolean isoTimestamps) {
        long call = n / 2;
        boolean post = (n & 1) == 1;
        int session = (int) (call % sessions);
        String name = NAMES[(int) (call % NAMES.length)];
        long ts = BASE_MS + call * 1_500 + (post ? durationMs(call) : 0);

        Map<String, Object> event = new LinkedHashMap<>();
        event.put("session_id", fresh(sessionId(session)));
        event.put("event_type", fresh(post ? "tool_post_call" : "tool_pre_call"));
        event.put("timestamp", isoTimestamps ? Instant.ofEpochMilli(ts).toString() : (Object) ts);
        event.put("correlation_id", "toolu_01" + call);
        if (post) {
            event.put("status", fresh("success"));
            event.put("duration_ms", durationMs(call));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", fresh(name));
        if (post) {
            details.put("success", Boolean.TRUE);
            details.put("output_chars", 1_000 + (int) (call % 9_000));
            details.put("summary", "ok " + (call % 100) + " lines");
        } else {
            switch (name) {
                case "Read" -> {
                    details.put("file_path", "/home/dev/project/src/main/App" + call % 500 + ".java");
                    details.put("limit", 200);
                }
                case "Bash" -> {
                    details.put("command", "./mvnw -q test -Dtest=Suite" + call % 50);
                    details.put("timeout", 120_000);
                }
                case "Edit" -> {
                    details.put("file_path", "/home/dev/project/src/Foo" + call % 300 + ".java");
                    details.put("replace_all", Boolean.FALSE);
                }
                case "Grep" -> {
                    details.put("pattern", "TODO|FIXME|XXX" + call % 10);
                    details.put("path", "/home/dev/project/src/main");
                }
                default -> details.put("query", "repo:acme/app is:issue is:open label:bug " + call % 1000);
            }
        }
        event.put("details", details);
        return event;
    }

    /** Tool durations: mostly tens of milliseconds, some seconds. */
    static long durationMs(long call) {
        long r = (call * 2_654_435_761L) & 0xffff;
        return r % 17 == 0 ? 1_000 + r % 4_000 : 5 + r % 200;
    }

    /** The events as the decoder turns them into drafts: what {@link IngestPipeline#accept} receives. */
    static NewEvent[] decoded(int count, int sessions) {
        EventDecoder decoder = new EventDecoder(json(), Clock.systemUTC());
        NewEvent[] out = new NewEvent[count];
        for (int i = 0; i < count; i++) {
            out[i] = decoder.decode(raw(i, sessions, true)).event();
        }
        return out;
    }

    @SuppressWarnings("StringOperationCanBeSimplified")
    private static String fresh(String s) {
        return new String(s);
    }
}
