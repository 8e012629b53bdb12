package dev.mos.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Requires "Authorization: Bearer &lt;token&gt;" on everything but the health probes (and /metrics with
 * server.publicMetrics, for scrapers that cannot send a token) when tokens are configured.
 * Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}: constant time, and no length leak.
 */
final class BearerTokenFilter extends HttpFilter {

    private final List<byte[]> tokenDigests;
    private final JsonResponses json;
    private final boolean publicMetrics;

    BearerTokenFilter(List<String> tokens, boolean publicMetrics, JsonResponses json) {
        this.tokenDigests = tokens.stream().map(BearerTokenFilter::digest).toList();
        this.publicMetrics = publicMetrics;
        this.json = json;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI();
        if (tokenDigests.isEmpty() || path.equals("/health") || path.startsWith("/health/") || isDashboardPage(
                request) || publicMetrics && path.equals("/metrics")) {
            chain.doFilter(request, response);
            return;
        }
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            reject(response, "missing bearer token: send 'Authorization: Bearer <token>' (MCP_AUTH_TOKEN)",
                    "invalid_request");
            return;
        }
        byte[] presented = digest(header.substring(7).trim());
        boolean match = false;
        for (byte[] expected : tokenDigests) {
            match |= MessageDigest.isEqual(expected, presented);
        }
        if (!match) {
            reject(response, "invalid bearer token", "invalid_token");
            return;
        }
        chain.doFilter(request, response);
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

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
