package dev.mos.auth;

import java.util.Map;
import java.util.Optional;

/**
 * The scope each request needs, in one place. Sending activity needs {@code ingest}, reading needs {@code read};
 * deleting, changing runtime configuration and reading the audit log need {@code admin} (and what needs it is
 * audited). On /mcp any valid token may connect; each tool call then needs its tool's scope. A tool not named here
 * only reads.
 */
public final class ScopeRules {

    private static final Map<String, Scope> TOOLS = Map.of(
            "log_event", Scope.INGEST,
            "delete_session", Scope.ADMIN,
            "configure_display", Scope.ADMIN,
            "configure_otel_export", Scope.ADMIN);

    private ScopeRules() {
    }

    /** The scope an HTTP request needs, or empty when any valid token will do (the MCP endpoint). */
    public static Optional<Scope> forRequest(String method, String path) {
        if (path.equals("/mcp")) {
            return Optional.empty();
        }
        if ("DELETE".equals(method) || path.equals("/api/v1/audit")) {
            return Optional.of(Scope.ADMIN);
        }
        if ("POST".equals(method) && (path.equals("/hooks") || path.startsWith("/v1/"))) {
            return Optional.of(Scope.INGEST);
        }
        return Optional.of(Scope.READ);
    }

    public static Scope forTool(String tool) {
        return TOOLS.getOrDefault(tool, Scope.READ);
    }
}
