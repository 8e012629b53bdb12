package dev.mos.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A state-changing request a browser sends from another site is refused (403): when it carries an Origin, the
 * Origin must be this server's own (as the Host header names it) or one of server.allowedOrigins. Agents and curl
 * send no Origin and are not affected; a browser always sends one with POST and DELETE. /mcp has the MCP SDK's own
 * check (which also allows localhost origins, as MCP's transport rules ask).
 */
final class SameOriginFilter extends HttpFilter {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private final List<String> allowed;
    private final JsonResponses json;

    SameOriginFilter(List<String> allowedOrigins, JsonResponses json) {
        this.allowed = allowedOrigins;
        this.json = json;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String origin = request.getHeader("Origin");
        if (origin == null || SAFE.contains(request.getMethod()) || request.getRequestURI().equals("/mcp")
                || sameOrigin(origin, request.getHeader("Host")) || allowedByConfig(origin)) {
            chain.doFilter(request, response);
            return;
        }
        json.error(response, 403, "cross-origin " + request.getMethod() + " " + request.getRequestURI()
                + " refused: Origin " + origin + " is neither this server's nor in server.allowedOrigins");
    }

    /** By authority (host and port), not scheme: behind a TLS-terminating ingress the request itself is http. */
    static boolean sameOrigin(String origin, String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        try {
            URI uri = URI.create(origin);
            if (uri.getHost() == null) {
                return false;
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            String h = host.toLowerCase(Locale.ROOT);
            String originHost = uri.getHost().toLowerCase(Locale.ROOT);
            return h.equals(originHost + ":" + port) || h.equals(originHost) && (port == 80 || port == 443);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** server.allowedOrigins entries, exact or with ":*" for any port (as for /mcp). */
    private boolean allowedByConfig(String origin) {
        for (String pattern : allowed) {
            if (pattern.equalsIgnoreCase(origin)
                    || pattern.endsWith(":*") && origin.regionMatches(true, 0, pattern, 0, pattern.length() - 1)
                    && origin.substring(pattern.length() - 1).chars().allMatch(Character::isDigit)) {
                return true;
            }
        }
        return false;
    }
}
