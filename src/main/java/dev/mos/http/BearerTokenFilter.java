package dev.mos.http;

import dev.mos.auth.Caller;
import dev.mos.auth.Scope;
import dev.mos.auth.ScopeRules;
import dev.mos.auth.SignInCookies;
import dev.mos.auth.Tokens;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * Requires "Authorization: Bearer &lt;token&gt;", or the dashboard's sign-in cookie, on everything but the health
 * probes, the dashboard's static files, sign-in itself (and /metrics with server.publicMetrics, for scrapers that
 * cannot send a token) when tokens are configured: 401 without a valid
 * token, 403 naming the scope when the token lacks the one the request needs ({@link ScopeRules}). The caller is
 * left on the request for what follows (the MCP endpoint checks each tool call's scope).
 */
final class BearerTokenFilter extends HttpFilter {

    private static final java.util.Set<String> SAFE = java.util.Set.of("GET", "HEAD", "OPTIONS");

    private final Tokens tokens;
    private final SignInCookies cookies;
    private final JsonResponses json;
    private final boolean publicMetrics;

    BearerTokenFilter(Tokens tokens, SignInCookies cookies, boolean publicMetrics, JsonResponses json) {
        this.tokens = tokens;
        this.cookies = cookies;
        this.publicMetrics = publicMetrics;
        this.json = json;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI();
        if (!tokens.required() || path.equals("/health") || path.startsWith("/health/") || isDashboardPage(
                request) || path.startsWith("/auth/") || publicMetrics && path.equals("/metrics")) {
            chain.doFilter(request, response);
            return;
        }
        String header = request.getHeader("Authorization");
        Optional<Caller> caller;
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            caller = tokens.authenticate(header.substring(7).trim());
            if (caller.isEmpty()) {
                reject(response, "invalid bearer token", "invalid_token");
                return;
            }
        } else {
            caller = SignInServlet.presented(request, cookies).map(SignInCookies.SignIn::caller);
            if (caller.isEmpty()) {
                reject(response, "missing bearer token: send 'Authorization: Bearer <token>' (MCP_AUTH_TOKEN), "
                        + "or sign in to the dashboard", "invalid_request");
                return;
            }
            // SameSite=Strict already keeps the cookie off cross-site requests; a changing request by cookie must
            // also show it comes from this server's own page (the Origin was checked by SameOriginFilter)
            if (!SAFE.contains(request.getMethod()) && request.getHeader("Origin") == null) {
                json.error(response, HttpServletResponse.SC_FORBIDDEN, request.getMethod() + " " + path
                        + " by sign-in cookie needs an Origin header (sent by browsers); agents send a bearer token");
                return;
            }
        }
        Optional<Scope> needed = ScopeRules.forRequest(request.getMethod(), path);
        if (needed.isPresent() && !caller.get().may(needed.get())) {
            forbid(response, caller.get(), needed.get(), request.getMethod() + " " + path, json);
            return;
        }
        request.setAttribute(Caller.ATTRIBUTE, caller.get());
        chain.doFilter(request, response);
    }

    /** 403 naming the scope that is missing and the token that lacks it (by name, never the token). */
    static void forbid(HttpServletResponse response, Caller caller, Scope scope, String what, JsonResponses json)
            throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer realm=\"mos\", error=\"insufficient_scope\", scope=\""
                + scope.wireName() + "\"");
        json.error(response, HttpServletResponse.SC_FORBIDDEN, what + " needs the '" + scope.wireName()
                + "' scope; token '" + caller.name() + "' has " + caller.scopes().stream().sorted()
                .map(Scope::wireName).toList());
    }

    /**
     * The dashboard's static files hold no data, and a browser cannot attach a header to a page load: they are
     * public, and the page asks for the token before it reads any data.
     */
    private static boolean isDashboardPage(HttpServletRequest request) {
        String path = request.getRequestURI();
        return "GET".equals(request.getMethod())
                && (path.startsWith("/ui/") || path.equals("/") && RootServlet.wantsHtml(request));
    }

    private void reject(HttpServletResponse response, String message, String error) throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer realm=\"mos\", error=\"" + error + "\"");
        json.error(response, HttpServletResponse.SC_UNAUTHORIZED, message);
    }
}
