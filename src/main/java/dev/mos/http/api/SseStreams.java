package dev.mos.http.api;

import dev.mos.http.JsonResponses;
import dev.mos.live.Delivery;
import dev.mos.live.StreamHub;
import dev.mos.live.Subscription;
import dev.mos.model.Event;
import dev.mos.model.EventStatus;
import dev.mos.query.EventJson;
import dev.mos.query.QueryService;
import dev.mos.query.UnknownSessionException;
import dev.mos.store.EventPage;
import dev.mos.store.SessionInfo;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.json.JsonMapper;

/**
 * Server-Sent Events for one session (SSE id = the event's per-session sequence) or all sessions (SSE id = the
 * event's server id, evt_…). A stream subscribes to the live hub first, then replays from the store what came
 * after the client's cursor (Last-Event-ID or ?cursor=), then follows the live buffer, skipping what the replay
 * already sent: no gap and no duplicate. An all-sessions cursor still among the hub's recent events resumes from
 * its place in publication order instead, which is exact even where publication order is not id order. A stream whose bounded buffer overflowed is sent a "lag" event with the
 * cursor to resume from and closed; reconnecting with that cursor replays the rest from the store.
 */
public final class SseStreams {

    /** Cap on open streams: each holds one request thread of the HTTP pool. */
    static final int MAX_STREAMS = 150;
    private static final int MAX_REPLAY_ALL = 50_000;

    private final QueryService query;
    private final StreamHub hub;
    private final EventJson eventJson;
    private final JsonMapper mapper;
    private final JsonResponses json;
    private final int defaultBuffer;
    private final AtomicInteger open = new AtomicInteger();

    public SseStreams(QueryService query, StreamHub hub, EventJson eventJson, JsonResponses json,
            int defaultBuffer) {
        this.query = query;
        this.hub = hub;
        this.eventJson = eventJson;
        this.mapper = json.mapper();
        this.json = json;
        this.defaultBuffer = defaultBuffer;
    }

    public int openStreams() {
        return open.get();
    }

    void serveSession(String sessionId, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        QueryParams q = new QueryParams(request);
        Long cursor = cursor(request, q, false);
        Options options = options(q);
        if (!admit(response)) {
            return;
        }
        try (Subscription sub = hub.subscribe(sessionId, options.buffer())) {
            OutputStream out = start(response);
            long lastSent;
            if (cursor == null) {
                lastSent = query.resolve(sessionId).lastSequence();
            } else {
                lastSent = cursor;
                while (true) {
                    EventPage page = query.eventsAfter(sessionId, lastSent, 1000);
                    if (page.missed() > 0) {
                        write(out, "missed", null, Map.of("session_id", sessionId, "missed", page.missed(),
                                "reason", "events older than the retention window were dropped"));
                    }
                    for (Event e : page.events()) {
                        sendEvent(out, e, String.valueOf(e.sequence()));
                        lastSent = e.sequence();
                    }
                    out.flush();
                    if (!page.more()) {
                        break;
                    }
                }
            }
            write(out, "ready", null, Map.of("session_id", sessionId, "cursor", lastSent));
            out.flush();
            final long[] last = {lastSent};
            follow(sub, out, options, false, e -> {
                if (e.sequence() <= last[0]) {
                    return false;
                }
                last[0] = e.sequence();
                return true;
            }, () -> Map.of("session_id", sessionId, "resync_cursor", last[0]));
        } catch (IOException e) {
            // the client went away: nothing to do, the subscription is closed by try-with-resources
        } finally {
            open.decrementAndGet();
        }
    }

    void serveAll(HttpServletRequest request, HttpServletResponse response) throws IOException {
        QueryParams q = new QueryParams(request);
        Long cursor = cursor(request, q, true);
        Options options = options(q);
        if (!admit(response)) {
            return;
        }
        // A cursor among the hub's recent events resumes exactly from there (publication order); an older one, or
        // one from before a restart, is replayed from the store.
        Optional<Subscription> resumed = cursor == null ? Optional.empty()
                : hub.resumeAllAfter(cursor, options.buffer());
        try (Subscription sub = resumed.orElseGet(() -> hub.subscribe(null, options.buffer()))) {
            OutputStream out = start(response);
            // Each session's events reach this stream in sequence order (the live feed guarantees it); what the
            // replay already sent is recognised per session by its sequence.
            Map<String, Long> sentUpTo = new HashMap<>();
            long[] lastSent = {cursor == null ? 0 : cursor};
            if (cursor != null && resumed.isEmpty()) {
                List<Event> missing = new ArrayList<>();
                for (SessionInfo info : query.sessionsSnapshot()) {
                    for (Event e : query.events(info.sessionId())) {
                        if (e.id() > cursor) {
                            missing.add(e);
                        }
                    }
                }
                missing.sort(Comparator.comparingLong(Event::id));
                if (missing.size() > MAX_REPLAY_ALL) {
                    write(out, "missed", null, Map.of("missed", missing.size() - MAX_REPLAY_ALL,
                            "reason", "replay limited to the " + MAX_REPLAY_ALL + " most recent events"));
                    missing = missing.subList(missing.size() - MAX_REPLAY_ALL, missing.size());
                }
                for (Event e : missing) {
                    sendEvent(out, e, e.externalId());
                    sentUpTo.merge(e.sessionId(), e.sequence(), Math::max);
                    lastSent[0] = Math.max(lastSent[0], e.id());
                }
            }
            // Without a cursor nothing was replayed and there is no position to report yet: the first event's id is.
            Map<String, Object> ready = new LinkedHashMap<>();
            ready.put("cursor", lastSent[0] == 0 ? null : Event.formatId(lastSent[0]));
            write(out, "ready", null, ready);
            out.flush();
            follow(sub, out, options, true, e -> {
                Long upTo = sentUpTo.get(e.sessionId());
                if (upTo != null) {
                    if (e.sequence() <= upTo) {
                        return false;
                    }
                    sentUpTo.remove(e.sessionId()); // past the replay: the feed sends nothing twice
                }
                lastSent[0] = e.id(); // the position in publication order a resume continues from
                return true;
            }, () -> Map.of("resync_cursor", Event.formatId(lastSent[0])));
        } catch (IOException e) {
            // client gone
        } finally {
            open.decrementAndGet();
        }
    }

    /** Decides whether a live event is sent (false: the replay already sent it). */
    private interface Fresh {
        boolean test(Event e);
    }

    private interface Resync {
        Map<String, Object> body();
    }

    private void follow(Subscription sub, OutputStream out, Options options, boolean allSessions, Fresh fresh,
            Resync resync) throws IOException {
        List<Delivery> batch = new ArrayList<>(256);
        while (true) {
            Delivery d;
            try {
                d = sub.poll(options.heartbeatMs());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
            if (d == null) {
                if (sub.ended()) {
                    return;
                }
                if (sub.overflowed()) {
                    lag(out, resync);
                    return;
                }
                out.write(HEARTBEAT);
                out.flush();
                continue;
            }
            // Everything already buffered goes out with one flush: fewer syscalls under load.
            batch.add(d);
            sub.drainTo(batch, 255);
            for (Delivery next : batch) {
                Event e = next.event();
                if (fresh.test(e)) {
                    // The whole block (id line and frames) is rendered once and shared by every stream.
                    out.write(allSessions ? next.wireAll(ev -> block(ev, ev.externalId()))
                            : next.wire(ev -> block(ev, String.valueOf(ev.sequence()))));
                }
            }
            batch.clear();
            if (sub.overflowed()) {
                lag(out, resync);
                out.flush();
                return;
            }
            out.flush();
            if (sub.ended()) {
                return;
            }
        }
    }

    private static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.UTF_8);

    private void lag(OutputStream out, Resync resync) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>(resync.body());
        body.put("reason", "this stream fell behind and its buffer overflowed; reconnect with Last-Event-ID "
                + "(or ?cursor=) set to resync_cursor to receive the rest from the store");
        write(out, "lag", null, body);
        out.flush();
    }

    private void sendEvent(OutputStream out, Event e, String id) throws IOException {
        out.write(block(e, id));
    }

    private byte[] block(Event e, String id) {
        return ("id: " + id + "\n" + framesText(e)).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The event's SSE frames after its id line: the "activity" event, then an "alert" for a failure and one for
     * an operation slower than its session's threshold. The alerts carry no id, so a resume never repeats them
     * without their event.
     */
    private String framesText(Event e) {
        StringBuilder sb = new StringBuilder(512);
        frame(sb, "activity", mapper.writeValueAsString(eventJson.event(e)));
        if (e.type() == null || !e.type().closes()) {
            return sb.toString();
        }
        if (e.status() == EventStatus.ERROR || e.status() == EventStatus.TIMEOUT) {
            Map<String, Object> alert = alert("error", e);
            String message = eventJson.errorMessage(e);
            if (message != null) {
                alert.put("message", message);
            }
            frame(sb, "alert", mapper.writeValueAsString(alert));
        }
        if (e.durationMs() != null) {
            long threshold = slowThreshold(e.sessionId());
            if (e.durationMs() > threshold) {
                Map<String, Object> alert = alert("slow", e);
                alert.put("duration_ms", e.durationMs());
                alert.put("threshold_ms", threshold);
                frame(sb, "alert", mapper.writeValueAsString(alert));
            }
        }
        return sb.toString();
    }

    private static void frame(StringBuilder sb, String event, String json) {
        // Jackson escapes newlines inside strings, so the JSON is always a single data line.
        sb.append("event: ").append(event).append("\ndata: ").append(json).append("\n\n");
    }

    private long slowThreshold(String sessionId) {
        try {
            return query.resolve(sessionId).displaySettings().slowThresholdMs(query.serverSlowThresholdMs());
        } catch (UnknownSessionException e) {
            return query.serverSlowThresholdMs();
        }
    }

    private static Map<String, Object> alert(String kind, Event e) {
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("alert", kind);
        alert.put("session_id", e.sessionId());
        alert.put("event_id", e.externalId());
        alert.put("sequence", e.sequence());
        alert.put("event_type", e.type().wireName());
        alert.put("name", e.name());
        return alert;
    }

    private void write(OutputStream out, String event, String id, Object data) throws IOException {
        StringBuilder sb = new StringBuilder(256);
        if (id != null) {
            sb.append("id: ").append(id).append('\n');
        }
        frame(sb, event, mapper.writeValueAsString(data));
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private OutputStream start(HttpServletResponse response) throws IOException {
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Accel-Buffering", "no");
        OutputStream out = response.getOutputStream();
        out.write("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        return out;
    }

    private boolean admit(HttpServletResponse response) throws IOException {
        if (open.incrementAndGet() > MAX_STREAMS) {
            open.decrementAndGet();
            response.setHeader("Retry-After", "5");
            json.error(response, 503, "too many open streams (limit " + MAX_STREAMS + "); retry later");
            return false;
        }
        return true;
    }

    private Long cursor(HttpServletRequest request, QueryParams q, boolean eventIds) {
        String header = request.getHeader("Last-Event-ID");
        String text = header != null && !header.isBlank() ? header.trim() : q.string("cursor");
        String source = header != null && !header.isBlank() ? "Last-Event-ID" : "cursor";
        if (text == null) {
            return null;
        }
        if (eventIds) {
            if (text.equals("0")) {
                return 0L;
            }
            long id = Event.parseId(text);
            if (id < 0) {
                throw new BadRequestException(source + " must be an event id from this stream (evt_…) or 0, got '"
                        + text + "'");
            }
            return id;
        }
        try {
            long seq = Long.parseLong(text);
            if (seq < 0) {
                throw new NumberFormatException();
            }
            return seq;
        } catch (NumberFormatException e) {
            throw new BadRequestException(source + " must be a sequence number >= 0 from this stream, got '"
                    + text + "'");
        }
    }

    private Options options(QueryParams q) {
        return new Options((int) q.integer("buffer", defaultBuffer, 1, 100_000),
                q.integer("heartbeat_ms", 15_000, 100, 60_000));
    }

    /** Per-stream settings: buffer capacity (events) and heartbeat interval. */
    private record Options(int buffer, long heartbeatMs) {
    }
}
