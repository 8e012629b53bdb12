package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.pg.PostgresServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Live streams across processes: SSE streams, MCP resource subscriptions and stream_activity on one server receive
 * what another server process committed, pushed through PostgreSQL LISTEN/NOTIFY between replicas, and found by the
 * SQLite change check between `serve` and a `stdio` server on one file.
 */
class LiveAcrossProcessesIT {

    @TempDir
    Path dataDir;

    private static String event(String session, int n) {
        return "{\"event\": {\"session_id\": \"" + session + "\", \"event_type\": \"tool_pre_call\","
                + " \"correlation_id\": \"c" + n + "\", \"details\": {\"name\": \"Read" + n + "\"}}}";
    }

    private static McpSyncClient mcpClient(String baseUrl, List<String> updated) {
        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(baseUrl)
                        .endpoint("/mcp").build())
                .requestTimeout(Duration.ofSeconds(20))
                .resourcesUpdateConsumer(contents -> contents.forEach(c -> updated.add(c.uri())))
                .build();
        client.initialize();
        return client;
    }

    private static void awaitContains(List<String> list, String value, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!list.contains(value) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(list).contains(value);
    }

    @Test
    void postgresReplicaStreamsAndNotifiesWhatAnotherReplicaIngested() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        Map<String, String> env = Map.of("MCP_STORE", "postgres", "MCP_DATABASE_URL", pg.url(pg.createDatabase()),
                "MCP_MAX_EVENTS_PER_SESSION", "1000000");
        try (MosProcess a = MosProcess.serve(env); MosProcess b = MosProcess.serve(env)) {
            assertThat(Http.call(a.baseUrl(), "log_event", event("x", 0)).status()).isEqualTo(200);
            List<String> updated = new CopyOnWriteArrayList<>();
            McpSyncClient client = mcpClient(b.baseUrl(), updated);
            String lastId;
            try (SseClient session = SseClient.open(b.baseUrl() + "/api/v1/sessions/x/stream?cursor=0");
                    SseClient all = SseClient.open(b.baseUrl() + "/api/v1/stream")) {
                client.subscribeResource(new McpSchema.SubscribeRequest("mos://sessions/x/tree"));
                SseClient.Message replayed = session.next("activity", Duration.ofSeconds(10));
                assertThat(replayed.id()).as("replayed from the store before ready").isEqualTo("1");
                assertThat(session.next("ready", Duration.ofSeconds(10))).isNotNull();
                assertThat(all.next("ready", Duration.ofSeconds(10))).isNotNull();

                // ingest on A, arrival on B, one at a time: latency from the request on A to the event on B
                int n = 300;
                List<Long> micros = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    long sent = System.nanoTime();
                    Http.Response r = Http.call(a.baseUrl(), "log_event", event("x", i));
                    assertThat(r.status()).as(r.body()).isEqualTo(200);
                    SseClient.Message m = session.next("activity", Duration.ofSeconds(10));
                    micros.add((System.nanoTime() - sent) / 1_000);
                    assertThat(m).as("event %d on B", i).isNotNull();
                    assertThat(m.id()).isEqualTo(String.valueOf(i + 1));
                    assertThat(m.json().get("id").asString()).isEqualTo(r.json().get("id").asString());
                    SseClient.Message any = all.next("activity", Duration.ofSeconds(10));
                    assertThat(any.id()).isEqualTo(r.json().get("id").asString());
                }
                Collections.sort(micros);
                System.out.printf("ingest on replica A -> SSE on replica B, %d events one at a time: p50 %.2f ms,"
                        + " p99 %.2f ms, max %.2f ms%n", n, micros.get(n / 2) / 1000.0,
                        micros.get(n * 99 / 100) / 1000.0, micros.getLast() / 1000.0);
                lastId = String.valueOf(n + 1);
                awaitContains(updated, "mos://sessions/x/tree", Duration.ofSeconds(5));
            }

            // resume on B with Last-Event-ID after more events were ingested on A (and one on B)
            Http.call(a.baseUrl(), "log_event", event("x", 1001));
            Http.call(b.baseUrl(), "log_event", event("x", 1002));
            try (SseClient resumed = SseClient.open(b.baseUrl() + "/api/v1/sessions/x/stream", "Last-Event-ID",
                    lastId)) {
                Http.call(a.baseUrl(), "log_event", event("x", 1003));
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    SseClient.Message m = resumed.next("activity", Duration.ofSeconds(10));
                    assertThat(m).isNotNull();
                    ids.add(m.id());
                }
                long l = Long.parseLong(lastId);
                assertThat(ids).containsExactly(String.valueOf(l + 1), String.valueOf(l + 2), String.valueOf(l + 3));
                assertThat(resumed.next("activity", Duration.ofMillis(500))).as("no duplicate").isNull();
            }

            // an MCP subscriber on B is told about a write on A
            updated.clear();
            Http.call(a.baseUrl(), "log_event", event("x", 2000));
            awaitContains(updated, "mos://sessions/x/tree", Duration.ofSeconds(5));
            client.closeGracefully();
        }
    }

    @Test
    void serveSeesWhatAStdioServerWritesToTheSameSqliteFile() throws Exception {
        Map<String, String> env = Map.of("MCP_DATA_DIR", dataDir.toString());
        try (MosProcess serve = MosProcess.serve(env); McpStdio stdio = McpStdio.start(env)) {
            stdio.client().callTool(new McpSchema.CallToolRequest("log_event", Map.of("event", Map.of(
                    "session_id", "cc", "event_type", "task_started", "correlation_id", "t"))));
            List<String> updated = new CopyOnWriteArrayList<>();
            McpSyncClient client = mcpClient(serve.baseUrl(), updated);
            try (SseClient sse = SseClient.open(serve.baseUrl() + "/api/v1/sessions/cc/stream");
                    SseClient all = SseClient.open(serve.baseUrl() + "/api/v1/stream")) {
                client.subscribeResource(new McpSchema.SubscribeRequest("mos://sessions/cc"));
                assertThat(sse.next("ready", Duration.ofSeconds(10))).isNotNull();
                assertThat(all.next("ready", Duration.ofSeconds(10))).isNotNull();
                CompletableFuture<Http.Response> poll = CompletableFuture.supplyAsync(() -> {
                    try {
                        return Http.call(serve.baseUrl(), "stream_activity",
                                "{\"session_id\": \"cc\", \"cursor\": 1, \"wait_ms\": 20000}");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                Thread.sleep(300);
                List<Long> millis = new ArrayList<>();
                for (int i = 1; i <= 5; i++) {
                    long sent = System.nanoTime();
                    McpSchema.CallToolResult logged = stdio.client().callTool(new McpSchema.CallToolRequest(
                            "log_event", Map.of("event", Map.of("session_id", "cc", "event_type", "tool_pre_call",
                                    "correlation_id", "r" + i, "parent_id", "t", "details", Map.of("name",
                                            "Read" + i)))));
                    assertThat(logged.isError()).isFalse();
                    SseClient.Message m = sse.next("activity", Duration.ofSeconds(5));
                    millis.add((System.nanoTime() - sent) / 1_000_000);
                    assertThat(m).as("stdio event %d streamed by serve", i).isNotNull();
                    assertThat(m.id()).isEqualTo(String.valueOf(i + 1));
                    assertThat(m.json().get("details").get("name").asString()).isEqualTo("Read" + i);
                    assertThat(nextOf(all, i + 1).json().get("details").get("name").asString())
                            .isEqualTo("Read" + i);
                }
                System.out.println("stdio write -> SSE on serve (SQLite change check), ms: " + millis);
                Http.Response woken = poll.get(30, TimeUnit.SECONDS);
                JsonNode events = woken.json().get("events");
                assertThat(events.size()).isGreaterThanOrEqualTo(1);
                assertThat(events.get(0).get("sequence").longValue()).isEqualTo(2);
                awaitContains(updated, "mos://sessions/cc", Duration.ofSeconds(5));
                assertThat(sse.next("activity", Duration.ofMillis(500))).as("nothing twice").isNull();
            } finally {
                client.closeGracefully();
            }
        }
    }

    /**
     * The all-sessions stream's next message for session cc's event {@code sequence}. It is live only: the
     * task_started written before the stream opened may still reach it, when serve's change check finds that
     * write only after the stream is ready (the per-session stream starts after its cursor and never sends it).
     */
    private static SseClient.Message nextOf(SseClient all, long sequence) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            SseClient.Message m = all.next("activity", Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            assertThat(m).as("all-sessions stream delivers cc's event %d", sequence).isNotNull();
            if (m.json().get("sequence").longValue() == sequence) {
                return m;
            }
            assertThat(m.json().get("sequence").longValue()).as("only the event written before it opened comes "
                    + "early").isEqualTo(1);
        }
        throw new AssertionError("all-sessions stream: no event " + sequence + " of session cc within 5 s");
    }
}
