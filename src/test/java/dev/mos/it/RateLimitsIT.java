package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A client over its budget gets 429 with Retry-After while the others are served, nothing it sent before is lost,
 * and every refusal shows in /metrics. Budgets set as an operator would, low enough to reach from one test.
 */
class RateLimitsIT {

    static String hook(String session, int n, String padding) {
        return "{\"session_id\": \"" + session + "\", \"hook_event_name\": \"UserPromptSubmit\", \"prompt\": \"p" + n
                + padding + "\"}";
    }

    @Test
    void aRunawayTokenIsRefusedWhileAnotherIsServed() throws Exception {
        Path dir = Files.createTempDirectory("mos-limits");
        ScopedTokensIT.Made runaway = ScopedTokensIT.make("runaway", "ingest,read");
        ScopedTokensIT.Made steady = ScopedTokensIT.make("steady", "ingest,read");
        ScopedTokensIT.Made bulk = ScopedTokensIT.make("bulk", "ingest");
        Path tokens = dir.resolve("tokens.json");
        Files.writeString(tokens, "[" + runaway.line() + "," + steady.line() + "," + bulk.line() + "]");
        try (MosProcess mos = MosProcess.serve(Map.of("MCP_TOKENS_FILE", tokens.toString(),
                "MCP_RATE_LIMIT_RPS", "5", "MCP_RATE_LIMIT_BYTES", "20000"))) {
            List<Http.Response> answers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                answers.add(Http.post(mos.baseUrl() + "/hooks", hook("runaway-s", i, ""),
                        "Authorization", "Bearer " + runaway.token()));
            }
            List<Http.Response> refused = answers.stream().filter(r -> r.status() == 429).toList();
            long accepted = answers.stream().filter(r -> r.status() == 200).count();
            assertThat(refused).as("40 requests at once against 5/s with a 2 s burst").isNotEmpty();
            assertThat(accepted + refused.size()).isEqualTo(40);
            Http.Response first = refused.getFirst();
            assertThat(Long.parseLong(first.header("Retry-After"))).isBetween(1L, 2L);
            assertThat(first.json().path("error").asString())
                    .contains("token 'runaway'", "limits.requestsPerSecond", "5/s");

            assertThat(Http.post(mos.baseUrl() + "/hooks", hook("steady-s", 0, ""),
                    "Authorization", "Bearer " + steady.token()).status()).isEqualTo(200);

            String padding = "x".repeat(15_000);
            int bulkStatus = 0;
            Http.Response bulkRefused = null;
            for (int i = 0; i < 4 && bulkRefused == null; i++) {
                Http.Response r = Http.post(mos.baseUrl() + "/hooks", hook("bulk-s", i, padding),
                        "Authorization", "Bearer " + bulk.token());
                bulkStatus = r.status();
                if (r.status() == 429) {
                    bulkRefused = r;
                }
            }
            assertThat(bulkStatus).as("15 KB bodies against 20,000 bytes/s with a 2 s burst").isEqualTo(429);
            assertThat(bulkRefused.json().path("error").asString()).contains("token 'bulk'", "limits.bytesPerSecond");

            // what the runaway got acknowledged is all there: a refusal loses nothing accepted before it
            Thread.sleep(2_100); // its budget refills
            Http.Response events = Http.get(mos.baseUrl() + "/api/v1/sessions/runaway-s/events?limit=1000",
                    "Authorization", "Bearer " + steady.token());
            assertThat(events.status()).as(events.body()).isEqualTo(200);
            assertThat(events.json().path("events").size()).as("one event per accepted prompt hook")
                    .isEqualTo((int) accepted);

            Http.Response metrics = Http.get(mos.baseUrl() + "/metrics", "Authorization", "Bearer " + steady.token());
            assertThat(metrics.body()).containsPattern("mos_requests_limited_total\\{client=\"token\",limit=\"requests\"} "
                    + refused.size() + "\\.0")
                    .containsPattern("mos_requests_limited_total\\{client=\"token\",limit=\"bytes\"} 1\\.0");
            assertThat(Http.get(mos.baseUrl() + "/health").status()).isEqualTo(200);
        }
    }

    @Test
    void aTokenThatInventsSessionsIsCappedWhileItsOwnSessionsAndOthersGoOn() throws Exception {
        Path dir = Files.createTempDirectory("mos-limits");
        ScopedTokensIT.Made runaway = ScopedTokensIT.make("inventor", "ingest,read");
        ScopedTokensIT.Made steady = ScopedTokensIT.make("steady", "ingest");
        Path tokens = dir.resolve("tokens.json");
        Files.writeString(tokens, "[" + runaway.line() + "," + steady.line() + "]");
        try (MosProcess mos = MosProcess.serve(Map.of("MCP_TOKENS_FILE", tokens.toString(),
                "MCP_SESSIONS_PER_HOUR", "3"))) {
            String[] auth = {"Authorization", "Bearer " + runaway.token()};
            for (int i = 0; i < 3; i++) {
                assertThat(Http.post(mos.baseUrl() + "/hooks", hook("invented-" + i, 0, ""), auth).status())
                        .isEqualTo(200);
            }
            Http.Response capped = Http.post(mos.baseUrl() + "/hooks", hook("invented-3", 0, ""), auth);
            assertThat(capped.status()).isEqualTo(429);
            assertThat(Long.parseLong(capped.header("Retry-After"))).isBetween(3_000L, 3_600L);
            assertThat(capped.json().path("error").asString()).contains("token 'inventor'",
                    "limits.newSessionsPerHour is 3");
            Http.Response otlp = Http.post(mos.baseUrl() + "/v1/logs", """
                    {"resourceLogs": [{"scopeLogs": [{"logRecords": [{"timeUnixNano": "1795618593713000000",
                      "attributes": [{"key": "event.name", "value": {"stringValue": "api_request"}},
                        {"key": "session.id", "value": {"stringValue": "invented-4"}}]}]}]}]}""", auth);
            assertThat(otlp.status()).isEqualTo(429);
            assertThat(otlp.header("Retry-After")).isNotBlank();

            assertThat(Http.post(mos.baseUrl() + "/hooks", hook("invented-1", 1, ""), auth).status())
                    .as("its existing sessions still take events").isEqualTo(200);
            assertThat(Http.post(mos.baseUrl() + "/hooks", hook("steady-1", 0, ""),
                    "Authorization", "Bearer " + steady.token()).status()).isEqualTo(200);
            assertThat(Http.get(mos.baseUrl() + "/api/v1/sessions/invented-3", auth).status()).isEqualTo(404);
            assertThat(Http.get(mos.baseUrl() + "/api/v1/sessions/invented-1/events", auth).json().path("events")
                    .size()).isEqualTo(2);
            assertThat(Http.get(mos.baseUrl() + "/metrics", auth).body()).containsPattern(
                    "mos_requests_limited_total\\{client=\"token\",limit=\"sessions\"} 2\\.0");
        }
    }

    @Test
    void aFloodFromOneAddressIsRefusedBeforeItsTokenIsChecked() throws Exception {
        Path dir = Files.createTempDirectory("mos-limits");
        Path config = dir.resolve("mos.json");
        Files.writeString(config, "{\"limits\": {\"requestsPerSecond\": 3, \"exemptLoopback\": false}}");
        try (MosProcess mos = MosProcess.serve(Map.of("MCP_AUTH_TOKEN", "the-token"), "--config", config.toString())) {
            int unauthorized = 0;
            Http.Response limited = null;
            for (int i = 0; i < 20 && limited == null; i++) {
                Http.Response r = Http.get(mos.baseUrl() + "/api/v1/sessions", "Authorization", "Bearer guess-" + i);
                if (r.status() == 401) {
                    unauthorized++;
                } else if (r.status() == 429) {
                    limited = r;
                }
            }
            assertThat(unauthorized).isBetween(1, 6);
            assertThat(limited).as("token guessing from one address is limited").isNotNull();
            assertThat(limited.json().path("error").asString()).contains("address 127.0.0.1", "limits.requestsPerSecond");
            for (int i = 0; i < 10; i++) {
                assertThat(Http.get(mos.baseUrl() + "/health/live").status()).as("probes are never limited")
                        .isEqualTo(200);
            }
        }
    }
}
