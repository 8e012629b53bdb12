package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's sign-in over real HTTP: a read token buys an HttpOnly, SameSite=Strict cookie, the cookie reads
 * but cannot be used from another site, logout clears it, a revoked token ends it; and every response carries the
 * browser-hardening headers.
 */
class SignInIT {

    static ScopedTokensIT.Made reader;
    static ScopedTokensIT.Made ingest;
    static ScopedTokensIT.Made admin;
    static Path file;
    static MosProcess mos;

    @BeforeAll
    static void start() throws Exception {
        reader = ScopedTokensIT.make("alice", "read");
        ingest = ScopedTokensIT.make("ci-agent", "ingest");
        admin = ScopedTokensIT.make("ops", "admin,read");
        file = Files.createTempDirectory("mos-signin").resolve("tokens.json");
        Files.writeString(file, "[" + reader.line() + "," + ingest.line() + "," + admin.line() + "]");
        mos = MosProcess.serve(Map.of("MCP_TOKENS_FILE", file.toString()));
    }

    @AfterAll
    static void stop() {
        if (mos != null) {
            mos.close();
        }
    }

    static String login(ScopedTokensIT.Made made) throws Exception {
        Http.Response r = Http.post(mos.baseUrl() + "/auth/login", "{\"token\": \"" + made.token() + "\"}",
                "Origin", mos.baseUrl());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        String setCookie = r.header("Set-Cookie");
        assertThat(setCookie).startsWith("mos_session=").contains("HttpOnly", "SameSite=Strict", "Path=/",
                "Max-Age=28800").doesNotContain(made.token());
        assertThat(r.json().path("name").asString()).isEqualTo(made.line().replaceAll(".*\"name\":\"([^\"]+)\".*", "$1"));
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    @Test
    void aReadTokenSignsInAndTheCookieReads() throws Exception {
        assertThat(Http.get(mos.baseUrl() + "/auth/session").json().path("signed_in").asBoolean()).isFalse();
        String cookie = login(reader);
        Http.Response session = Http.get(mos.baseUrl() + "/auth/session", "Cookie", cookie);
        assertThat(session.json().path("signed_in").asBoolean()).isTrue();
        assertThat(session.json().path("name").asString()).isEqualTo("alice");
        assertThat(session.json().path("expires_at").asString()).isNotBlank();
        assertThat(Http.get(mos.baseUrl() + "/api/v1/sessions", "Cookie", cookie).status()).isEqualTo(200);
        assertThat(Http.get(mos.baseUrl() + "/api/v1/sessions", "Cookie", "mos_session=v1.YWxpY2U.9999999999999.forged")
                .status()).isEqualTo(401);
        assertThat(Http.post(mos.baseUrl() + "/hooks", "{\"session_id\": \"s\", \"hook_event_name\": \"Stop\"}",
                "Cookie", cookie, "Origin", mos.baseUrl()).status()).as("the cookie has the token's scopes only")
                .isEqualTo(403);
    }

    @Test
    void onlyAReadTokenSignsInAndBadInputIsNamed() throws Exception {
        Http.Response wrong = Http.post(mos.baseUrl() + "/auth/login", "{\"token\": \"nope\"}");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.header("Set-Cookie")).isNull();
        Http.Response noRead = Http.post(mos.baseUrl() + "/auth/login", "{\"token\": \"" + ingest.token() + "\"}");
        assertThat(noRead.status()).isEqualTo(403);
        assertThat(noRead.json().path("error").asString()).contains("'read' scope", "ci-agent");
        Http.Response garbage = Http.post(mos.baseUrl() + "/auth/login", "token=abc");
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.json().path("error").asString()).contains("{\"token\"");
    }

    @Test
    void theCookieCannotChangeAnythingFromAnotherSite() throws Exception {
        String cookie = login(admin);
        Http.Response crossSite = Http.delete(mos.baseUrl() + "/api/v1/sessions/any", "Cookie", cookie,
                "Origin", "https://evil.example");
        assertThat(crossSite.status()).isEqualTo(403);
        assertThat(crossSite.json().path("error").asString()).contains("cross-origin", "https://evil.example");
        Http.Response noOrigin = Http.delete(mos.baseUrl() + "/api/v1/sessions/any", "Cookie", cookie);
        assertThat(noOrigin.status()).isEqualTo(403);
        assertThat(noOrigin.json().path("error").asString()).contains("Origin");
        Http.Response sameSite = Http.delete(mos.baseUrl() + "/api/v1/sessions/any", "Cookie", cookie,
                "Origin", mos.baseUrl());
        assertThat(sameSite.status()).as(sameSite.body()).isEqualTo(404); // allowed through; there is no such session
        Http.Response loginCsrf = Http.post(mos.baseUrl() + "/auth/login", "{\"token\": \"" + reader.token() + "\"}",
                "Origin", "https://evil.example");
        assertThat(loginCsrf.status()).isEqualTo(403);
        // agents send no Origin and a bearer token: unaffected
        assertThat(Http.post(mos.baseUrl() + "/hooks", "{\"session_id\": \"s\", \"hook_event_name\": \"Stop\"}",
                "Authorization", "Bearer " + ingest.token()).status()).isEqualTo(200);
    }

    @Test
    void logoutClearsTheCookieAndARevokedTokenEndsItsSignIns() throws Exception {
        Http.Response out = Http.post(mos.baseUrl() + "/auth/logout", "", "Origin", mos.baseUrl());
        assertThat(out.status()).isEqualTo(204);
        assertThat(out.header("Set-Cookie")).startsWith("mos_session=;").contains("Max-Age=0");

        ScopedTokensIT.Made leaver = ScopedTokensIT.make("leaver", "read");
        Files.writeString(file, "[" + reader.line() + "," + ingest.line() + "," + admin.line() + "," + leaver.line() + "]");
        String cookie = null;
        for (int i = 0; i < 50 && cookie == null; i++) {
            Http.Response r = Http.post(mos.baseUrl() + "/auth/login", "{\"token\": \"" + leaver.token() + "\"}");
            if (r.status() == 200) {
                cookie = login(leaver);
            } else {
                Thread.sleep(100);
            }
        }
        assertThat(cookie).as("the new token signs in once the file is re-read").isNotNull();
        assertThat(Http.get(mos.baseUrl() + "/api/v1/sessions", "Cookie", cookie).status()).isEqualTo(200);
        Files.writeString(file, "[" + reader.line() + "," + ingest.line() + "," + admin.line() + "]");
        int status = 200;
        for (int i = 0; i < 50 && status == 200; i++) {
            Thread.sleep(100);
            status = Http.get(mos.baseUrl() + "/api/v1/sessions", "Cookie", cookie).status();
        }
        assertThat(status).as("a revoked token's cookie stops working").isEqualTo(401);
    }

    @Test
    void everyResponseCarriesTheHardeningHeaders() throws Exception {
        for (String path : new String[] {"/", "/ui/app.js", "/api/v1/sessions", "/health"}) {
            Http.Response r = Http.get(mos.baseUrl() + path, "Accept", "text/html");
            String csp = r.header("Content-Security-Policy");
            assertThat(csp).as(path).contains("script-src 'self'", "frame-ancestors 'none'", "default-src 'none'")
                    .doesNotContain("unsafe-inline", "unsafe-eval");
            assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
        }
    }
}
