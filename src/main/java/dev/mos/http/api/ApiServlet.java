package dev.mos.http.api;

import dev.mos.audit.AuditLog;
import dev.mos.http.JsonResponses;
import dev.mos.model.AuditEntry;
import dev.mos.model.Event;
import dev.mos.model.EventStatus;
import dev.mos.model.EventType;
import dev.mos.model.SessionStatus;
import dev.mos.query.EventJson;
import dev.mos.query.OperationDetails;
import dev.mos.query.OperationSearch;
import dev.mos.query.SearchRequest;
import dev.mos.model.OperationKind;
import dev.mos.model.OperationStatus;
import dev.mos.query.QueryService;
import dev.mos.query.RenderOptions;
import dev.mos.query.SessionExport;
import dev.mos.query.SessionFilter;
import dev.mos.query.SessionJson;
import dev.mos.query.SessionLifecycle;
import dev.mos.query.SessionView;
import dev.mos.query.UsageAnalytics;
import dev.mos.query.TextStyle;
import dev.mos.query.ToolStats;
import dev.mos.query.TreeJson;
import dev.mos.query.TreeText;
import dev.mos.query.UnknownSessionException;
import dev.mos.store.EventPage;
import dev.mos.store.SessionInfo;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read-only REST API under /api/v1 (JSON), all answered from {@link QueryService}; the two SSE routes are
 * handed to {@link SseStreams}. Errors are JSON with a message naming what is wrong, never a stack trace.
 */
public final class ApiServlet extends HttpServlet {

    private static final Logger log = LoggerFactory.getLogger(ApiServlet.class);
    static final String PREFIX = "/api/v1";
    private static final int MAX_PAGE = 1000;

    private final QueryService query;
    private final EventJson eventJson;
    private final TreeJson treeJson;
    private final TreeText treeText;
    private final OperationDetails operations;
    private final OperationSearch search;
    private final SessionExport export;
    private final UsageAnalytics usage;
    private final SseStreams streams;
    private final AuditLog audit;
    private final JsonResponses json;

    public ApiServlet(QueryService query, EventJson eventJson, SseStreams streams, AuditLog audit,
            JsonResponses json) {
        this.query = query;
        this.eventJson = eventJson;
        this.treeJson = new TreeJson(eventJson);
        this.treeText = new TreeText(eventJson);
        this.operations = new OperationDetails(eventJson);
        this.search = new OperationSearch(query, eventJson);
        this.export = new SessionExport(query, eventJson);
        this.usage = new UsageAnalytics(query);
        this.streams = streams;
        this.audit = audit;
        this.json = json;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        String path = request.getRequestURI().substring(PREFIX.length());
        List<String> parts = segments(path);
        try {
            if (!"GET".equals(request.getMethod())) {
                response.setHeader("Allow", "GET");
                json.error(response, 405, "the API is read-only: " + request.getMethod() + " is not allowed on "
                        + request.getRequestURI() + " (log events with the log_event MCP tool)");
                return;
            }
            route(parts, new QueryParams(request), request, response);
        } catch (BadRequestException e) {
            json.error(response, 400, e.getMessage());
        } catch (UnknownSessionException e) {
            json.error(response, 404, e.getMessage());
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            log.warn("API request {} failed", request.getRequestURI(), e);
            if (!response.isCommitted()) {
                json.error(response, 500, "internal error while answering " + request.getRequestURI());
            }
        }
    }

    private void route(List<String> p, QueryParams q, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (p.equals(List.of("sessions"))) {
            json.write(response, 200, sessions(q));
        } else if (p.size() == 2 && p.get(0).equals("sessions")) {
            SessionView view = query.view(p.get(1));
            json.write(response, 200, SessionJson.summary(view, query.nowMs()));
        } else if (p.size() == 3 && p.get(0).equals("sessions")) {
            switch (p.get(2)) {
                case "tree" -> tree(p.get(1), q, response);
                case "events" -> json.write(response, 200, events(p.get(1), q));
                case "export" -> export(p.get(1), q, response);
                case "analytics" -> json.write(response, 200, analytics(p.get(1), q));
                case "stream" -> streams.serveSession(query.resolve(p.get(1)).sessionId(), request, response);
                default -> notFound(request, response);
            }
        } else if (p.size() == 4 && p.get(0).equals("sessions") && p.get(2).equals("operations")) {
            json.write(response, 200, operation(p.get(1), p.get(3)));
        } else if (p.equals(List.of("stream"))) {
            streams.serveAll(request, response);
        } else if (p.equals(List.of("search"))) {
            json.write(response, 200, search.search(searchRequest(q)));
        } else if (p.equals(List.of("audit"))) {
            json.write(response, 200, audit(q));
        } else if (p.equals(List.of("analytics", "tools"))) {
            json.write(response, 200, analytics(q.string("session_id"), q));
        } else if (p.equals(List.of("analytics", "usage"))) {
            json.write(response, 200, usage.of(sessionFilter(q)));
        } else {
            notFound(request, response);
        }
    }

    private void notFound(HttpServletRequest request, HttpServletResponse response) throws IOException {
        json.error(response, 404, "no such API endpoint: " + request.getRequestURI() + " (see GET /api/v1/sessions, "
                + "/api/v1/sessions/{id}[/tree|/events|/export|/analytics|/stream|/operations/{operation_id}], "
                + "/api/v1/analytics/tools, /api/v1/analytics/usage, "
                + "/api/v1/search?q=, /api/v1/stream, /api/v1/audit)");
    }

    /** The newest administrative actions (admin scope: see ScopeRules). */
    private Map<String, Object> audit(QueryParams q) {
        int limit = (int) q.integer("limit", 100, 1, MAX_PAGE);
        List<Map<String, Object>> entries = new ArrayList<>();
        for (AuditEntry e : audit.newest(limit)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", e.id());
            m.put("at", java.time.Instant.ofEpochMilli(e.atMs()).toString());
            m.put("actor", e.actor());
            m.put("address", e.address());
            m.put("action", e.action());
            m.put("target", e.target());
            m.put("outcome", e.outcome());
            m.put("detail", e.detail());
            entries.add(m);
        }
        return Map.of("entries", entries);
    }

    /** project, sender, agent, status, since, until, q: the session list's filters, also the usage roll-up's. */
    private static SessionFilter sessionFilter(QueryParams q) {
        String statusText = q.choice("status", null, List.of("active", "completed", "failed"));
        return new SessionFilter(q.string("project"), q.string("sender"), q.string("agent"),
                statusText == null ? null : SessionStatus.fromWire(statusText).orElseThrow(), q.time("since"),
                q.time("until"), q.string("q"));
    }

    private Map<String, Object> sessions(QueryParams q) {
        SessionFilter filter = sessionFilter(q);
        int limit = (int) q.integer("limit", 50, 1, MAX_PAGE);
        int offset = (int) q.integer("offset", 0, 0, Integer.MAX_VALUE);
        long now = query.nowMs();
        List<Map<String, Object>> page = new ArrayList<>();
        int matched = 0;
        for (SessionInfo info : query.sessionsSnapshot()) {
            if (!filter.matchesInfo(info)) {
                continue; // no tree built for sessions the store's row already rules out
            }
            SessionView view = query.view(info);
            if (!filter.matches(view)) {
                continue;
            }
            if (matched >= offset && page.size() < limit) {
                page.add(SessionJson.summary(view, now)); // usage is computed here: for this page only
            }
            matched++;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sessions", page);
        out.put("total", matched);
        out.put("offset", offset);
        out.put("limit", limit);
        out.put("next_offset", offset + page.size() < matched ? offset + page.size() : null);
        return out;
    }

    private void tree(String sessionId, QueryParams q, HttpServletResponse response) throws IOException {
        String format = q.choice("format", "json", List.of("json", "text", "plain"));
        boolean includeCompleted = !"false".equals(q.string("include_completed"));
        Integer maxDepth = q.string("max_depth") == null ? null : (int) q.integer("max_depth", 10, 1, 100);
        SessionView view = query.view(sessionId);
        RenderOptions options = query.renderOptions(view.info(), includeCompleted, maxDepth);
        if (!format.equals("json")) {
            text(response, treeText.render(view.tree(), options,
                    format.equals("plain") ? TextStyle.PLAIN : TextStyle.CLAUDE_CODE));
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("session", SessionJson.summary(view, options.nowMs()));
        out.put("slow_threshold_ms", options.slowThresholdMs());
        out.put("operation_count", SessionLifecycle.operationCount(view.tree()));
        out.put("running_count", view.tree().runningCount());
        out.put("last_sequence", view.tree().lastSequence());
        boolean compact = "true".equals(q.choice("compact", "false", List.of("true", "false")));
        out.put("compact", compact);
        out.put("tree", compact ? treeJson.compactRoots(view.tree(), options) : treeJson.roots(view.tree(), options));
        json.write(response, 200, out);
    }

    private static SearchRequest searchRequest(QueryParams q) {
        String text = q.string("q");
        if (text == null || text.isBlank()) {
            throw new BadRequestException("q: give the words to search for, e.g. /api/v1/search?q=make+test"
                    + " (every word must appear; filters: kind, tool, status, model, subagent, min_cost_usd, project,"
                    + " sender, agent, since, until, limit)");
        }
        String kind = q.choice("kind", null, OperationKind.wireNames());
        String status = q.choice("status", null, OperationStatus.wireNames());
        return new SearchRequest(text, kind == null ? null : OperationKind.fromWire(kind).orElseThrow(),
                q.string("tool"), status == null ? null : OperationStatus.fromWire(status).orElseThrow(),
                q.string("model"), q.string("subagent"), q.amount("min_cost_usd"), q.string("project"),
                q.string("sender"), q.string("agent"), q.time("since"), q.time("until"),
                (int) q.integer("limit", 20, 1, SearchRequest.MAX_LIMIT));
    }

    /** One operation with everything captured about it and its raw events (the dashboard's details panel). */
    private Map<String, Object> operation(String sessionId, String operationId) {
        SessionView view = query.view(sessionId);
        RenderOptions options = query.renderOptions(view.info(), true, null);
        Map<String, Object> operation = operations.find(view.tree(), operationId, options).orElseThrow(() ->
                new UnknownSessionException("session '" + view.info().sessionId() + "' has no operation '"
                        + operationId + "' (operation ids are the \"id\" of the nodes of GET /api/v1/sessions/"
                        + view.info().sessionId() + "/tree)"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("session_id", view.info().sessionId());
        out.put("operation", operation);
        return out;
    }

    private Map<String, Object> events(String sessionId, QueryParams q) {
        String id = query.resolve(sessionId).sessionId();
        String typeText = q.choice("type", null, EventType.wireNames());
        String statusText = q.choice("status", null, EventStatus.wireNames());
        EventType type = typeText == null ? null : EventType.fromWire(typeText).orElseThrow();
        EventStatus status = statusText == null ? null : EventStatus.fromWire(statusText).orElseThrow();
        long after = q.integer("after", 0, 0, Long.MAX_VALUE);
        int limit = (int) q.integer("limit", 100, 1, MAX_PAGE);
        List<Map<String, Object>> out = new ArrayList<>();
        long cursor = after;
        long missed = 0;
        boolean first = true;
        boolean more = false;
        // Filtered pages are read from the store in chunks until the page is full or the session is exhausted.
        while (out.size() < limit) {
            EventPage page = query.eventsAfter(id, cursor, MAX_PAGE);
            if (first) {
                missed = page.missed();
                first = false;
            }
            for (Event e : page.events()) {
                cursor = e.sequence();
                if ((type == null || e.type() == type) && (status == null || e.status() == status)) {
                    out.add(eventJson.event(e));
                    if (out.size() == limit) {
                        break;
                    }
                }
            }
            if (out.size() == limit) {
                more = cursor < page.lastSequence();
                break;
            }
            if (!page.more()) {
                break;
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("session_id", id);
        body.put("events", out);
        body.put("next_cursor", cursor);
        body.put("more", more);
        body.put("missed", missed);
        return body;
    }

    private void export(String sessionId, QueryParams q, HttpServletResponse response) throws IOException {
        String format = q.choice("format", "json", List.of("json", "text", "claude_code_log"));
        SessionView view = query.view(sessionId);
        String file = "mos-" + view.info().sessionId().replaceAll("[^A-Za-z0-9._-]", "_");
        switch (format) {
            case "json" -> {
                response.setHeader("Content-Disposition", "attachment; filename=\"" + file + ".json\"");
                json.write(response, 200, export.json(view));
            }
            case "text" -> text(response, export.text(view));
            default -> text(response, export.claudeCodeLog(view));
        }
    }

    private Map<String, Object> analytics(String sessionId, QueryParams q) {
        List<Map<String, Object>> tools = new ArrayList<>();
        for (ToolStats s : query.toolAnalytics(sessionId, q.string("tool"))) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("tool", s.tool());
            t.put("kind", s.kind());
            t.put("calls", s.calls());
            t.put("errors", s.errors());
            t.put("running", s.running());
            t.put("error_rate", s.errorRate());
            t.put("p50_ms", s.p50Ms());
            t.put("p95_ms", s.p95Ms());
            t.put("p99_ms", s.p99Ms());
            t.put("avg_ms", s.avgMs());
            t.put("max_ms", s.maxMs());
            tools.add(t);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("session_id", sessionId == null ? null : query.resolve(sessionId).sessionId());
        out.put("tools", tools);
        return out;
    }

    private static void text(HttpServletResponse response, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.setContentType("text/plain; charset=utf-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
