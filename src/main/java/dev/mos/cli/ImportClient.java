package dev.mos.cli;

import dev.mos.ingest.transcript.EventIdentity;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The running server as {@code mos import} sees it: the identities of a session's stored events (REST
 * {@code GET /api/v1/sessions/{id}/events}, paged) and a batch of events stored through {@code log_event} (the
 * plain {@code {"method": "log_event", "params": {"events": [...]}}} form of /mcp), so imports take the one ingest
 * pipeline: validated, redacted, stored, pushed to live views.
 */
final class ImportClient {

    /** A server answer that is not what the importer needs; the message says what the server said. */
    static final class ServerException extends IOException {
        ServerException(String message) {
            super(message);
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String base;
    private final String token;
    private final JsonMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ImportClient(String base, String token, JsonMapper json) {
        this.base = base;
        this.token = token;
        this.json = json;
    }

    /** The identities (see {@link EventIdentity}) of the events the server holds for a session; empty if none. */
    Set<String> storedIdentities(String sessionId) throws IOException, InterruptedException {
        return identities(storedEvents(sessionId));
    }

    static Set<String> identities(List<JsonNode> events) {
        Set<String> out = new HashSet<>();
        for (JsonNode e : events) {
            String id = EventIdentity.of(e.path("event_type").asString(null), e.path("correlation_id").asString(null));
            if (id != null) {
                out.add(id);
            }
        }
        return out;
    }

    /** The events the server holds for a session, as its REST API gives them; empty if none. */
    List<JsonNode> storedEvents(String sessionId) throws IOException, InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        long after = 0;
        while (true) {
            HttpResponse<String> r = send(request("/api/v1/sessions/" + URLEncoder.encode(sessionId,
                    StandardCharsets.UTF_8) + "/events?limit=1000&after=" + after).GET().build());
            if (r.statusCode() == 404) {
                return out;
            }
            JsonNode body = ok(r, "reading session " + sessionId);
            body.path("events").forEach(out::add);
            long next = body.path("next_cursor").asLong(after);
            if (!body.path("more").asBoolean(false) || next <= after) {
                return out;
            }
            after = next;
        }
    }

    /** What the server did with a batch: how many it stored, and why it refused the others. */
    record Stored(int accepted, List<String> refusals) {
    }

    /** Stores a batch through log_event; the server judges each event on its own. */
    Stored store(List<Map<String, Object>> events) throws IOException, InterruptedException {
        String body = json.writeValueAsString(Map.of("method", "log_event", "params", Map.of("events", events)));
        HttpResponse<String> r = send(request("/mcp").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        JsonNode result = ok(r, "storing events");
        List<String> refusals = new ArrayList<>();
        for (JsonNode item : result.path("results")) {
            if (item.has("error")) {
                refusals.add(item.path("error").asString());
            }
        }
        return new Stored(result.path("accepted").asInt(0), refusals);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            throw new ServerException("no MOS server answers at " + base + " (start one with `mos serve`, or pass "
                    + "--url / set MOS_URL)");
        }
    }

    private JsonNode ok(HttpResponse<String> r, String what) throws ServerException {
        if (r.statusCode() == 401) {
            throw new ServerException(what + ": the server at " + base + " wants a token (set MOS_TOKEN or "
                    + "MCP_AUTH_TOKEN)");
        }
        JsonNode body;
        try {
            body = json.readTree(r.body());
        } catch (RuntimeException e) {
            body = null;
        }
        if (r.statusCode() / 100 != 2 || body == null) {
            String message = body != null && body.path("error").isString() ? body.path("error").stringValue()
                    : body != null && body.path("error").path("message").isString()
                            ? body.path("error").path("message").stringValue() : "HTTP " + r.statusCode();
            throw new ServerException(what + ": " + base + " answered " + r.statusCode() + ": " + message);
        }
        return body;
    }
}
