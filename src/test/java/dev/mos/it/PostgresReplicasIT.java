package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mos.pg.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Several server processes on one real PostgreSQL (started by the test run) behave as one server. */
class PostgresReplicasIT {

    private static final String SECRET = "unused-secret";

    @TempDir
    Path tmp;

    private static Map<String, String> env(PostgresServer pg, String jdbcUrl) {
        return Map.of("MCP_STORE", "postgres", "MCP_DATABASE_URL", pg.url(jdbcUrl),
                "MCP_MAX_EVENTS_PER_SESSION", "1000000", "MCP_LOG_LEVEL", "info");
    }

    @Test
    void eventsIngestedOnOneReplicaAreReadStreamedAndExportedOnTheOther() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        Map<String, String> env = env(pg, pg.createDatabase());
        try (MosProcess a = MosProcess.serve(env); MosProcess b = MosProcess.serve(env)) {
            Http.Response first = Http.call(a.baseUrl(), "log_event", "{\"event\": {\"session_id\": \"ha\","
                    + " \"event_type\": \"task_started\", \"correlation_id\": \"t1\", \"details\": {\"name\": \"Deploy\"}}}");
            assertThat(first.status()).as(first.body()).isEqualTo(200);

            // a long poll on B wakes for an event ingested on A (LISTEN/NOTIFY), not at the end of its wait
            CompletableFuture<Http.Response> poll = CompletableFuture.supplyAsync(() -> {
                try {
                    return Http.call(b.baseUrl(), "stream_activity",
                            "{\"session_id\": \"ha\", \"cursor\": 1, \"wait_ms\": 20000}");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(500); // let the poll register on B
            long sent = System.nanoTime();
            Http.Response second = Http.call(a.baseUrl(), "log_event", "{\"event\": {\"session_id\": \"ha\","
                    + " \"event_type\": \"tool_pre_call\", \"correlation_id\": \"r1\", \"parent_id\": \"t1\","
                    + " \"details\": {\"name\": \"Read\"}}}");
            assertThat(second.status()).isEqualTo(200);
            Http.Response woken = poll.get(30, java.util.concurrent.TimeUnit.SECONDS);
            long wokeMs = (System.nanoTime() - sent) / 1_000_000;
            System.out.println("cross-replica long poll woke " + wokeMs + " ms after the write on the other replica");
            assertThat(woken.status()).as(woken.body()).isEqualTo(200);
            JsonNode events = woken.json().get("events");
            assertThat(events).hasSize(1);
            assertThat(events.get(0).get("id").stringValue()).isEqualTo(second.json().get("id").stringValue());
            assertThat(wokeMs).as("woken by the notification, well before the 20 s wait ends").isLessThan(10_000);

            // read and export on B
            Http.Response tree = Http.call(b.baseUrl(), "get_activity_tree", "{\"session_id\": \"ha\"}");
            assertThat(tree.body()).contains("Deploy", "Read");
            Http.Response export = Http.call(b.baseUrl(), "export_session", "{\"session_id\": \"ha\"}");
            assertThat(export.json().get("export").get("events")).hasSize(2);
            // sequences continue across replicas
            Http.Response third = Http.call(b.baseUrl(), "log_event", "{\"event\": {\"session_id\": \"ha\","
                    + " \"event_type\": \"tool_post_call\", \"correlation_id\": \"r1\"}}");
            assertThat(third.json().get("sequence").longValue()).isEqualTo(3);
            assertThat(Http.call(a.baseUrl(), "list_sessions", "{}").body()).contains("\"ha\"");

            assertThat(a.stderrText() + b.stderrText()).doesNotContain(SECRET);
        }
    }

    @Test
    void sigkillDuringConcurrentIngestionLosesNoAcknowledgedEventAndDuplicatesNone() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        Map<String, String> env = env(pg, pg.createDatabase());
        long seed = System.nanoTime();
        Map<String, Set<String>> acked;
        try (MosProcess mos = MosProcess.serve(env)) {
            acked = CrashCheck.ingestUntilKilled(mos, seed);
        }
        try (MosProcess restarted = MosProcess.serve(env)) {
            assertThat(CrashCheck.verify(restarted.baseUrl(), acked)).as("seed %d", seed).isPositive();
        }
    }

    @Test
    void aDatabaseOutageTurnsIngestionInto503AndReadinessOffThenRecoversByItself() throws Exception {
        PostgresServer pg = PostgresServer.startPrivate();
        Path config = tmp.resolve("mos.json");
        Files.writeString(config, "{\"circuitBreaker\": {\"waitInOpenMs\": 1000, \"minimumCalls\": 3}}");
        Map<String, String> env = new java.util.HashMap<>(env(pg, pg.createDatabase()));
        env.put("MCP_CONFIG_PATH", config.toString());
        try (MosProcess mos = MosProcess.serve(env)) {
            String event = "{\"event\": {\"session_id\": \"outage\", \"event_type\": \"tool_pre_call\"}}";
            assertThat(Http.call(mos.baseUrl(), "log_event", event).status()).isEqualTo(200);
            assertThat(Http.get(mos.baseUrl() + "/health/ready").status()).isEqualTo(200);

            pg.stopNow();
            Http.Response refused = Http.call(mos.baseUrl(), "log_event", event);
            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isNotNull();
            assertThat(refused.body()).contains("storage unavailable", "retry").doesNotContain("\tat ");
            Http.Response ready = Http.get(mos.baseUrl() + "/health/ready");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.body()).contains("storage unavailable");

            pg.restart();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                    assertThat(Http.call(mos.baseUrl(), "log_event", event).status()).isEqualTo(200));
            assertThat(Http.get(mos.baseUrl() + "/health/ready").status()).isEqualTo(200);
            // only acknowledged events are stored: the refused one is not there
            JsonNode events = Http.call(mos.baseUrl(), "export_session", "{\"session_id\": \"outage\"}").json()
                    .get("export").get("events");
            assertThat(events.size()).isEqualTo(2);
            assertThat(mos.stderrText()).doesNotContain(SECRET);
        }
    }

    @Test
    void pgDumpAndPgRestoreCarryEverythingToAnotherDatabase() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        String source = pg.createDatabase();
        try (MosProcess mos = MosProcess.serve(env(pg, source))) {
            for (int i = 0; i < 3; i++) {
                Http.call(mos.baseUrl(), "log_event", "{\"event\": {\"session_id\": \"dumped\","
                        + " \"event_type\": \"tool_pre_call\", \"details\": {\"name\": \"op" + i + "\"}}}");
            }
            Path dump = tmp.resolve("mos.dump");
            run(PostgresServer.clientTool("pg_dump").toString(), "-Fc", "-h", "127.0.0.1", "-p",
                    String.valueOf(pg.port()), "-U", "postgres", "-f", dump.toString(), dbName(source));
            String target = pg.createDatabase();
            run(PostgresServer.clientTool("pg_restore").toString(), "-h", "127.0.0.1", "-p", String.valueOf(pg.port()),
                    "-U", "postgres", "-d", dbName(target), dump.toString());
            try (MosProcess restored = MosProcess.serve(env(pg, target))) {
                JsonNode events = Http.call(restored.baseUrl(), "export_session", "{\"session_id\": \"dumped\"}")
                        .json().get("export").get("events");
                assertThat(events).hasSize(3);
                // ids keep increasing after a restore (the identity sequence came along)
                Http.Response next = Http.call(restored.baseUrl(), "log_event", "{\"event\": {\"session_id\":"
                        + " \"dumped\", \"event_type\": \"tool_pre_call\"}}");
                assertThat(next.json().get("sequence").longValue()).isEqualTo(4);
                assertThat(next.json().get("id").stringValue()).isNotIn(
                        events.get(0).get("id").stringValue(), events.get(2).get("id").stringValue());
            }
        }
    }

    private static String dbName(String jdbcUrl) {
        return jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1, jdbcUrl.indexOf('?'));
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
    }
}
