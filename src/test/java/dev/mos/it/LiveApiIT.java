package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** REST /api/v1 and the SSE streams against the packaged server, over real HTTP on loopback. */
class LiveApiIT {

    private static final String TOKEN = "live-token";
    private static final String[] AUTH = {"Authorization", "Bearer " + TOKEN};
    private static MosProcess mos;

    @BeforeAll
    static void start() throws Exception {
        mos = MosProcess.serve(Map.of("MCP_AUTH_TOKEN", TOKEN));
    }

    @AfterAll
    static void stop() {
        mos.close();
    }

    private static String url(String path) {
        return mos.baseUrl() + path;
    }

    private static JsonNode log(String eventsJson) throws Exception {
        Http.Response r = Http.call(mos.baseUrl(), "log_event", "{\"events\": [" + eventsJson + "]}", AUTH);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("rejected").asInt()).as(r.body()).isZero();
        return r.json();
    }

    private static String ev(String session, String type, String corr, String name, String extra) {
        return "{\"session_id\": \"" + session + "\", \"event_type\": \"" + type + "\", \"correlation_id\": \"" + corr
                + "\", \"details\": {\"name\": \"" + name + "\"}" + extra + "}";
    }

    @Test
    void restAnswersSessionsTreeEventsExportAndAnalytics() throws Exception {
        log(ev("rest-a", "task_started", "t", "Fix the build", "") + ","
                + ev("rest-a", "tool_pre_call", "r", "Read", ", \"parent_id\": \"t\"") + ","
                + ev("rest-a", "tool_post_call", "r", "Read", ", \"duration_ms\": 40") + ","
                + ev("rest-a", "tool_pre_call", "b", "Bash", ", \"parent_id\": \"t\"") + ","
                + "{\"session_id\": \"rest-a\", \"event_type\": \"tool_error\", \"correlation_id\": \"b\", "
                + "\"details\": {\"name\": \"Bash\", \"error\": \"exit code 2\"}}");
        log(ev("rest-b", "task_started", "t", "Write docs", "") + ","
                + ev("rest-b", "task_complete", "t", "Write docs", ", \"duration_ms\": 5"));

        assertThat(Http.get(url("/api/v1/sessions")).status()).as("auth like the rest").isEqualTo(401);

        JsonNode active = Http.get(url("/api/v1/sessions?status=active"), AUTH).json();
        assertThat(names(active.get("sessions"))).contains("rest-a").doesNotContain("rest-b");
        JsonNode completed = Http.get(url("/api/v1/sessions?status=completed"), AUTH).json();
        assertThat(names(completed.get("sessions"))).contains("rest-b").doesNotContain("rest-a");
        JsonNode search = Http.get(url("/api/v1/sessions?q=write%20DOCS"), AUTH).json();
        assertThat(names(search.get("sessions"))).containsExactly("rest-b");
        JsonNode page = Http.get(url("/api/v1/sessions?q=rest-&limit=1"), AUTH).json();
        assertThat(page.get("sessions")).hasSize(1);
        assertThat(page.get("total").asInt()).isEqualTo(2);
        JsonNode page2 = Http.get(url("/api/v1/sessions?q=rest-&limit=1&offset=" + page.get("next_offset").asInt()),
                AUTH).json();
        assertThat(names(page2.get("sessions"))).doesNotContainAnyElementsOf(names(page.get("sessions")));
        assertThat(Http.get(url("/api/v1/sessions?since=2999-01-01T00:00:00Z"), AUTH).json().get("total").asInt())
                .isZero();

        JsonNode one = Http.get(url("/api/v1/sessions/rest-a"), AUTH).json();
        assertThat(one.get("metrics").get("errors").asInt()).isEqualTo(1);
        assertThat(one.get("metrics").get("tool_calls").asInt()).isEqualTo(2);

        JsonNode tree = Http.get(url("/api/v1/sessions/rest-a/tree"), AUTH).json();
        JsonNode task = tree.get("tree").get(0);
        assertThat(task.get("name").asString()).isEqualTo("Fix the build");
        assertThat(task.get("children")).hasSize(2);
        assertThat(task.get("children").get(1).get("attributes").get("error").asString()).isEqualTo("exit code 2");
        String text = Http.get(url("/api/v1/sessions/rest-a/tree?format=text"), AUTH).body();
        assertThat(text).contains("Fix the build").contains("Bash ❌").contains("ERROR: exit code 2");

        JsonNode errors = Http.get(url("/api/v1/sessions/rest-a/events?type=tool_error"), AUTH).json();
        assertThat(errors.get("events")).hasSize(1);
        assertThat(errors.get("events").get(0).get("sequence").asLong()).isEqualTo(5);
        JsonNode after = Http.get(url("/api/v1/sessions/rest-a/events?after=2&limit=2"), AUTH).json();
        assertThat(after.get("events").get(0).get("sequence").asLong()).isEqualTo(3);
        assertThat(after.get("events")).hasSize(2);
        assertThat(after.get("next_cursor").asLong()).isEqualTo(4);
        assertThat(after.get("more").asBoolean()).isTrue();

        JsonNode export = Http.get(url("/api/v1/sessions/rest-a/export"), AUTH).json();
        assertThat(export.get("events")).hasSize(5);
        assertThat(Http.get(url("/api/v1/sessions/rest-a/export?format=claude_code_log"), AUTH).body())
                .contains("Bash");

        JsonNode tools = Http.get(url("/api/v1/sessions/rest-a/analytics"), AUTH).json().get("tools");
        assertThat(tools).hasSize(2);
        JsonNode read = tools.get(0).get("tool").asString().equals("Read") ? tools.get(0) : tools.get(1);
        assertThat(read.get("p50_ms").asLong()).isEqualTo(40);
        assertThat(read.get("p99_ms").asLong()).isEqualTo(40);
        JsonNode all = Http.get(url("/api/v1/analytics/tools?tool=Bash"), AUTH).json().get("tools");
        assertThat(all).hasSize(1);
        assertThat(all.get(0).get("errors").asInt()).isEqualTo(1);
    }

    @Test
    void badInputGetsAClearErrorWithoutStackTrace() throws Exception {
        log(ev("bad-input", "task_started", "t", "x", ""));
        Http.Response limit = Http.get(url("/api/v1/sessions?limit=abc"), AUTH);
        assertThat(limit.status()).isEqualTo(400);
        assertThat(limit.json().get("error").asString()).contains("'limit'").contains("integer");
        Http.Response status = Http.get(url("/api/v1/sessions?status=sleeping"), AUTH);
        assertThat(status.status()).isEqualTo(400);
        assertThat(status.json().get("error").asString()).contains("'status'").contains("active");
        Http.Response type = Http.get(url("/api/v1/sessions/bad-input/events?type=nope"), AUTH);
        assertThat(type.json().get("error").asString()).contains("'type'").contains("tool_pre_call");
        Http.Response since = Http.get(url("/api/v1/sessions?since=yesterday"), AUTH);
        assertThat(since.json().get("error").asString()).contains("'since'").contains("ISO-8601");
        Http.Response missing = Http.get(url("/api/v1/sessions/no-such-session/tree"), AUTH);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asString()).contains("no-such-session");
        Http.Response cursor = Http.get(url("/api/v1/sessions/bad-input/stream"), "Last-Event-ID", "abc", AUTH[0],
                AUTH[1]);
        assertThat(cursor.status()).isEqualTo(400);
        assertThat(cursor.json().get("error").asString()).contains("Last-Event-ID");
        Http.Response post = Http.post(url("/api/v1/sessions"), "{}", AUTH);
        assertThat(post.status()).isEqualTo(405);
        Http.Response unknown = Http.get(url("/api/v1/nothing"), AUTH);
        assertThat(unknown.status()).isEqualTo(404);
        for (Http.Response r : List.of(limit, status, type, since, missing, cursor, post, unknown)) {
            assertThat(r.body()).doesNotContain("at dev.mos").doesNotContain("Exception");
        }
    }

    @Test
    void sessionStreamCarriesSequenceIdsAlertsAndResumesWithoutGapsOrDuplicates() throws Exception {
        log(ev("sse-a", "task_started", "t", "Stream me", ""));
        List<Long> seen = new ArrayList<>();
        String lastId;
        try (SseClient sse = SseClient.open(url("/api/v1/sessions/sse-a/stream?cursor=0"), AUTH)) {
            assertThat(sse.status).isEqualTo(200);
            SseClient.Message first = sse.next("activity", Duration.ofSeconds(10));
            assertThat(first.id()).isEqualTo("1");
            seen.add(Long.parseLong(first.id()));
            assertThat(sse.next("ready", Duration.ofSeconds(10)).json().get("cursor").asLong()).isEqualTo(1);

            log(ev("sse-a", "tool_pre_call", "r", "Read", ", \"parent_id\": \"t\"") + ","
                    + ev("sse-a", "tool_post_call", "r", "Read", ", \"duration_ms\": 900") + ","
                    + ev("sse-a", "tool_pre_call", "b", "Bash", ", \"parent_id\": \"t\"") + ","
                    + "{\"session_id\": \"sse-a\", \"event_type\": \"tool_error\", \"correlation_id\": \"b\", "
                    + "\"details\": {\"name\": \"Bash\", \"error\": \"exit code 2\"}}");
            log(ev("other-session", "task_started", "t", "not mine", ""));
            List<SseClient.Message> alerts = new ArrayList<>();
            while (seen.size() < 5) {
                SseClient.Message m = sse.next(Duration.ofSeconds(10));
                assertThat(m).as("events after " + seen).isNotNull();
                if (m.event().equals("alert")) {
                    alerts.add(m);
                } else {
                    assertThat(m.event()).isEqualTo("activity");
                    assertThat(m.json().get("session_id").asString()).isEqualTo("sse-a");
                    assertThat(m.json().get("sequence").asLong()).isEqualTo(Long.parseLong(m.id()));
                    seen.add(Long.parseLong(m.id()));
                }
            }
            SseClient.Message lastAlert = sse.next("alert", Duration.ofSeconds(10));
            alerts.add(lastAlert);
            assertThat(alerts).extracting(a -> a.json().get("alert").asString()).containsExactly("slow", "error");
            assertThat(alerts.get(0).json().get("name").asString()).isEqualTo("Read");
            assertThat(alerts.get(0).json().get("duration_ms").asLong()).isEqualTo(900);
            assertThat(alerts.get(1).json().get("message").asString()).isEqualTo("exit code 2");
            lastId = "3";
        }
        assertThat(seen).containsExactly(1L, 2L, 3L, 4L, 5L);
        log(ev("sse-a", "task_complete", "t", "Stream me", ""));
        // A client that saw up to 3 reconnects: it gets 4, 5, 6 exactly once, then live events.
        try (SseClient resumed = SseClient.open(url("/api/v1/sessions/sse-a/stream"), "Last-Event-ID", lastId,
                AUTH[0], AUTH[1])) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.add(resumed.next("activity", Duration.ofSeconds(10)).id());
            }
            assertThat(ids).containsExactly("4", "5", "6");
            assertThat(resumed.next("ready", Duration.ofSeconds(10)).json().get("cursor").asLong()).isEqualTo(6);
            log(ev("sse-a", "task_progress", "t", "Stream me", ""));
            assertThat(resumed.next("activity", Duration.ofSeconds(10)).id()).isEqualTo("7");
        }
    }

    @Test
    void heartbeatsKeepAnIdleStreamOpen() throws Exception {
        log(ev("sse-idle", "task_started", "t", "idle", ""));
        try (SseClient sse = SseClient.open(url("/api/v1/sessions/sse-idle/stream?heartbeat_ms=200"), AUTH)) {
            assertThat(sse.nextComment(Duration.ofSeconds(10))).isNotNull();
            assertThat(sse.nextComment(Duration.ofSeconds(10)).data()).isEqualTo("heartbeat");
        }
    }

    @Test
    void allSessionsStreamWithATinyBufferIsToldItLagsAndResyncsWithoutGapsOrDuplicates() throws Exception {
        log(ev("lag-0", "task_started", "t", "warm-up", ""));
        String startCursor;
        try (SseClient probe = SseClient.open(url("/api/v1/stream?cursor=0"), AUTH)) {
            SseClient.Message last = null;
            SseClient.Message m;
            while ((m = probe.next(Duration.ofSeconds(10))) != null && !m.event().equals("ready")) {
                last = m;
            }
            startCursor = last.id();
        }
        int total = 600;
        List<String> sent = new ArrayList<>();
        List<String> received = new ArrayList<>();
        boolean lagged = false;
        String cursor = startCursor;
        try (SseClient sse = SseClient.open(url("/api/v1/stream?buffer=1&cursor=" + cursor), AUTH)) {
            assertThat(sse.next("ready", Duration.ofSeconds(10))).isNotNull();
            // One batch: the writer publishes far faster than a 1-event buffer is drained.
            StringJoiner batch = new StringJoiner(",");
            for (int i = 0; i < total; i++) {
                batch.add(ev("lag-1", "task_progress", "t", "p" + i, ""));
            }
            for (JsonNode r : log(batch.toString()).get("results")) {
                sent.add(r.get("id").asString());
            }
            SseClient.Message m;
            while (received.size() < total && (m = sse.next(Duration.ofSeconds(10))) != null) {
                if (m.event().equals("lag")) {
                    lagged = true;
                    cursor = m.json().get("resync_cursor").asString();
                    assertThat(m.json().get("reason").asString()).contains("resync_cursor");
                    break;
                }
                if (m.event().equals("activity")) {
                    received.add(m.id());
                    cursor = m.id();
                }
            }
        }
        if (lagged) {
            try (SseClient again = SseClient.open(url("/api/v1/stream"), "Last-Event-ID", cursor, AUTH[0],
                    AUTH[1])) {
                SseClient.Message m;
                while (received.size() < total && (m = again.next(Duration.ofSeconds(10))) != null) {
                    if (m.event().equals("activity")) {
                        received.add(m.id());
                    }
                }
            }
        }
        assertThat(received).as("lagged=" + lagged).containsExactlyElementsOf(sent);
    }

    private static List<String> names(JsonNode sessions) {
        List<String> out = new ArrayList<>();
        sessions.forEach(s -> out.add(s.get("session_id").asString()));
        return out;
    }
}
