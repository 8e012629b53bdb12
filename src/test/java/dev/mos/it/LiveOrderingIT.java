package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The all-sessions stream under concurrent ingestion into several sessions: every session's events arrive in
 * sequence order, none missing, none twice, each with its event id as the SSE id; resuming from any of those ids
 * replays exactly the events with a greater id, each session still in order.
 */
class LiveOrderingIT {

    @TempDir
    Path dataDir;

    @Test
    void theAllSessionsStreamKeepsEverySessionInOrderUnderConcurrentIngestion() throws Exception {
        int sessions = 4;
        int clients = 8;
        int perClient = 60;
        int total = clients * perClient;
        try (MosProcess mos = MosProcess.serve(Map.of("MCP_DATA_DIR", dataDir.toString()));
                SseClient all = SseClient.open(mos.baseUrl() + "/api/v1/stream")) {
            assertThat(all.next("ready", Duration.ofSeconds(10))).isNotNull();
            Map<String, String> sessionOfId = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perClient; i++) {
                        String session = "ord-" + ((client + i) % sessions);
                        Http.Response r = Http.call(mos.baseUrl(), "log_event", "{\"event\": {\"session_id\": \""
                                + session + "\", \"event_type\": \"tool_pre_call\", \"details\": {\"name\": \"c"
                                + client + "-" + i + "\"}}}");
                        assertThat(r.status()).as(r.body()).isEqualTo(200);
                        sessionOfId.put(r.json().get("id").asString(), session);
                    }
                    return null;
                }));
            }
            Map<String, Long> lastSeq = new HashMap<>();
            List<JsonNode> received = new ArrayList<>();
            for (int n = 0; n < total; n++) {
                SseClient.Message m = all.next("activity", Duration.ofSeconds(20));
                assertThat(m).as("event %d of %d", n + 1, total).isNotNull();
                JsonNode e = m.json();
                assertThat(m.id()).isEqualTo(e.get("id").asString());
                String session = e.get("session_id").asString();
                long seq = e.get("sequence").longValue();
                assertThat(seq).as("%s in order without gaps", session).isEqualTo(lastSeq.getOrDefault(session, 0L) + 1);
                lastSeq.put(session, seq);
                received.add(e);
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            assertThat(all.next("activity", Duration.ofMillis(500))).as("nothing twice").isNull();
            assertThat(received).extracting(e -> e.get("id").asString())
                    .containsExactlyInAnyOrderElementsOf(sessionOfId.keySet());

            // resume from an id in the middle: exactly what was published after it, in the same order (which, across
            // sessions, need not be id order), each session in sequence order, nothing twice
            String from = received.get(total / 2).get("id").asString();
            List<String> expected = received.subList(total / 2 + 1, total).stream()
                    .map(e -> e.get("id").asString()).toList();
            try (SseClient resumed = SseClient.open(mos.baseUrl() + "/api/v1/stream", "Last-Event-ID", from)) {
                assertThat(resumed.next("ready", Duration.ofSeconds(5))).isNotNull();
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < expected.size(); i++) {
                    SseClient.Message m = resumed.next("activity", Duration.ofSeconds(10));
                    assertThat(m).isNotNull();
                    ids.add(m.id());
                }
                assertThat(ids).containsExactlyElementsOf(expected);
                assertThat(resumed.next("activity", Duration.ofMillis(300))).isNull();
            }
        }
    }
}
