package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.databind.JsonNode;

/**
 * The durability check shared by the durable backends: concurrent clients log events over HTTP while the server
 * is killed with SIGKILL at a random moment; after a restart every acknowledged event must be stored, exactly
 * once, with contiguous sequences.
 */
final class CrashCheck {

    static final int CLIENTS = 8;

    private CrashCheck() {
    }

    /** Acknowledged event ids per session, gathered until the server dies. */
    static Map<String, Set<String>> ingestUntilKilled(MosProcess mos, long seed) throws Exception {
        Random random = new Random(seed);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Map<String, Set<String>> acked = new ConcurrentHashMap<>();
        AtomicBoolean dead = new AtomicBoolean();
        // kill only once ingestion is under way: every client has had an acknowledgement
        java.util.concurrent.CountDownLatch flowing = new java.util.concurrent.CountDownLatch(CLIENTS);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            String session = "crash-" + c;
            Set<String> mine = ConcurrentHashMap.newKeySet();
            acked.put(session, mine);
            Thread t = new Thread(() -> {
                for (int i = 0; !dead.get(); i++) {
                    String body = "{\"method\": \"log_event\", \"params\": {\"event\": {\"session_id\": \"" + session
                            + "\", \"event_type\": \"tool_pre_call\", \"details\": {\"name\": \"op-" + i + "\"}}}}";
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(mos.baseUrl() + "/mcp"))
                                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) {
                            if (mine.isEmpty()) {
                                flowing.countDown();
                            }
                            mine.add(Http.JSON.readTree(r.body()).get("id").stringValue());
                        }
                    } catch (ConnectException e) {
                        return;
                    } catch (Exception e) {
                        if (!mos.process.isAlive()) {
                            return;
                        }
                    }
                }
            }, "crash-client-" + c);
            clients.add(t);
            t.start();
        }
        assertThat(flowing.await(120, TimeUnit.SECONDS)).as("every client got an acknowledgement").isTrue();
        Thread.sleep(200 + random.nextInt(1500));
        mos.process.destroyForcibly(); // SIGKILL
        assertThat(mos.process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        dead.set(true);
        for (Thread t : clients) {
            t.join(30_000);
        }
        return acked;
    }

    /** Compares what the restarted server holds with what was acknowledged; returns the number acknowledged. */
    static int verify(String baseUrl, Map<String, Set<String>> acked) throws Exception {
        int total = 0;
        for (Map.Entry<String, Set<String>> session : acked.entrySet()) {
            Set<String> ackedIds = session.getValue();
            total += ackedIds.size();
            if (ackedIds.isEmpty()) {
                continue;
            }
            Http.Response r = Http.call(baseUrl, "export_session", "{\"session_id\": \"" + session.getKey() + "\"}");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode events = r.json().get("export").get("events");
            List<String> storedIds = new ArrayList<>();
            List<Long> sequences = new ArrayList<>();
            for (JsonNode e : events) {
                storedIds.add(e.get("id").stringValue());
                sequences.add(e.get("sequence").longValue());
            }
            assertThat(new HashSet<>(storedIds)).as("no duplicate ids in %s", session.getKey())
                    .hasSameSizeAs(storedIds);
            assertThat(storedIds).as("every acknowledged event of %s survived", session.getKey())
                    .containsAll(ackedIds);
            // at most one unacknowledged-but-committed event per client (the one in flight at the kill)
            assertThat(storedIds.size() - ackedIds.size()).isBetween(0, 1);
            for (int i = 0; i < sequences.size(); i++) {
                assertThat(sequences.get(i)).as("contiguous sequences").isEqualTo(i + 1L);
            }
        }
        System.out.println("crash check: " + total + " events acknowledged before SIGKILL, all found after restart");
        return total;
    }
}
