package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** `mos tail` as a real child process following a real server; stdout is a pipe, so the output is plain. */
class TailIT {

    private static final String TOKEN = "tail-token";
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

    private static void log(String events) throws Exception {
        Http.Response r = Http.call(mos.baseUrl(), "log_event", "{\"events\": [" + events + "]}", AUTH);
        assertThat(r.json().get("rejected").asInt()).as(r.body()).isZero();
    }

    private static Process tail(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(MosProcess.command("tail", "--url", mos.baseUrl()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("MCP_AUTH_TOKEN", TOKEN);
        return pb.start();
    }

    @Test
    void followsTheLatestSessionWithPlainLinesAndAlerts() throws Exception {
        log("{\"session_id\": \"tail-1\", \"event_type\": \"task_started\", \"correlation_id\": \"t\", "
                + "\"details\": {\"name\": \"Refactor\"}}");
        Process tail = tail("--max-events", "3");
        try {
            // The tree comes first: once it is printed the stream is open (or about to be; resume covers the rest).
            byte[] first = tail.getInputStream().readNBytes("Session tail-1\n".length());
            assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("Session tail-1\n");
            log("{\"session_id\": \"tail-1\", \"event_type\": \"tool_pre_call\", \"correlation_id\": \"r\", "
                    + "\"parent_id\": \"t\", \"details\": {\"name\": \"Grep\"}},"
                    + "{\"session_id\": \"tail-1\", \"event_type\": \"tool_post_call\", \"correlation_id\": \"r\", "
                    + "\"duration_ms\": 2500, \"details\": {\"name\": \"Grep\"}},"
                    + "{\"session_id\": \"tail-1\", \"event_type\": \"task_failed\", \"correlation_id\": \"t\", "
                    + "\"details\": {\"name\": \"Refactor\", \"error\": \"tests red\"}}");
            assertThat(tail.waitFor(30, TimeUnit.SECONDS)).as("tail exits after --max-events").isTrue();
            String out = new String(tail.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(tail.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(tail.exitValue()).as(err).isZero();
            assertThat(out).contains("Refactor");
            assertThat(out).contains("#2 ").contains("tool_pre_call started Grep");
            assertThat(out).contains("tool_post_call success Grep 2500ms");
            assertThat(out).contains("SLOW: Grep took 2500ms (threshold 500ms)");
            assertThat(out).contains("#4 ").contains("ERROR: Refactor: tests red");
            assertThat(out).as("plain output when not a terminal").doesNotContain("\033[");
        } finally {
            tail.destroyForcibly();
        }
    }

    @Test
    void anUnknownSessionOrAWrongTokenIsAClearErrorWithExit1() throws Exception {
        Process unknown = tail("no-such-session");
        assertThat(unknown.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(unknown.exitValue()).isEqualTo(1);
        assertThat(new String(unknown.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("404").contains("session 'no-such-session' not found");
        Process wrong = tail("--token", "wrong", "--once");
        assertThat(wrong.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(wrong.exitValue()).isEqualTo(1);
        assertThat(new String(wrong.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("401").contains("invalid bearer token");
    }
}
