package dev.mos.http;

import dev.mos.auth.Caller;
import dev.mos.auth.Scope;
import dev.mos.auth.SignInCookies;
import dev.mos.auth.Tokens;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard's sign-in. {@code POST /auth/login} with {@code {"token": "..."}} sets an HttpOnly, SameSite=Strict
 * cookie (Secure under TLS) for a token with the {@code read} scope; {@code POST /auth/logout} clears it;
 * {@code GET /auth/session} says whether sign-in is needed and who is signed in. Cross-site posts never get here
 * ({@link SameOriginFilter}).
 */
final class SignInServlet extends HttpServlet {

    private static final int MAX_BODY = 4096;

    private final Tokens tokens;
    private final SignInCookies cookies;
    private final JsonResponses json;

    SignInServlet(Tokens tokens, SignInCookies cookies, JsonResponses json) {
        this.tokens = tokens;
        this.cookies = cookies;
        this.json = json;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        switch (String.valueOf(request.getPathInfo())) {
            case "/login" -> login(request, response);
            case "/logout" -> {
                response.addHeader("Set-Cookie", cookie(request, "", 0));
                response.setStatus(204);
            }
            default -> json.error(response, 404, "expected POST /auth/login or /auth/logout");
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"/session".equals(request.getPathInfo())) {
            json.error(response, 404, "expected GET /auth/session");
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("required", tokens.required());
        Optional<SignInCookies.SignIn> signIn = presented(request);
        body.put("signed_in", signIn.isPresent());
        signIn.ifPresent(s -> describe(body, s));
        json.write(response, 200, body);
    }

    private void login(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!tokens.required()) {
            json.error(response, 400, "this server needs no sign-in (no tokens configured)");
            return;
        }
        byte[] raw = request.getInputStream().readNBytes(MAX_BODY + 1);
        String token;
        try {
            JsonNode body = json.mapper().readTree(raw);
            token = raw.length > MAX_BODY || body == null ? null : body.path("token").stringValue(null);
        } catch (JacksonException e) {
            token = null;
        }
        if (token == null || token.isBlank()) {
            json.error(response, 400, "expected {\"token\": \"...\"} (at most " + MAX_BODY + " bytes)");
            return;
        }
        Optional<Caller> caller = tokens.authenticate(token.strip());
        if (caller.isEmpty()) {
            json.error(response, 401, "invalid token");
            return;
        }
        if (!caller.get().may(Scope.READ)) {
            BearerTokenFilter.forbid(response, caller.get(), Scope.READ, "signing in to the dashboard", json);
            return;
        }
        Optional<SignInCookies.Issued> issued = cookies.issue(caller.get());
        if (issued.isEmpty()) {
            json.error(response, 401, "invalid token");
            return;
        }
        response.addHeader("Set-Cookie", cookie(request, issued.get().value(), cookies.ttl().toSeconds()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("signed_in", true);
        describe(body, issued.get().signIn());
        json.write(response, 200, body);
    }

    private static void describe(Map<String, Object> body, SignInCookies.SignIn signIn) {
        body.put("name", signIn.caller().name());
        body.put("scopes", signIn.caller().scopes().stream().sorted().map(Scope::wireName).toList());
        body.put("expires_at", Instant.ofEpochMilli(signIn.expiresAtMs()).toString());
    }

    /** The verified sign-in cookie of a request, if it has one. */
    static Optional<SignInCookies.SignIn> presented(HttpServletRequest request, SignInCookies cookies) {
        Cookie[] all = request.getCookies();
        if (all == null) {
            return Optional.empty();
        }
        for (Cookie c : all) {
            if (c.getName().equals(SignInCookies.NAME)) {
                Optional<SignInCookies.SignIn> signIn = cookies.verify(c.getValue());
                if (signIn.isPresent()) {
                    return signIn;
                }
            }
        }
        return Optional.empty();
    }

    private Optional<SignInCookies.SignIn> presented(HttpServletRequest request) {
        return presented(request, cookies);
    }

    /** Written by hand: the Servlet API's Cookie cannot say SameSite on every container. */
    private static String cookie(HttpServletRequest request, String value, long maxAgeSeconds) {
        boolean secure = request.isSecure() || "https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto"));
        return SignInCookies.NAME + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }
}
