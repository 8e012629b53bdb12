package dev.mos.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a token lets its holder do. */
public enum Scope {
    /** Send activity: hooks, OTLP, the log_event tool. */
    INGEST,
    /** Read sessions: REST, SSE, the dashboard, the read-only MCP tools. */
    READ,
    /** Delete sessions and change runtime configuration. */
    ADMIN;

    public static final Set<Scope> ALL = Set.copyOf(EnumSet.allOf(Scope.class));

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code ingest}, {@code read} or {@code admin}; throws naming the allowed values otherwise. */
    public static Scope parse(String text) {
        for (Scope scope : values()) {
            if (scope.wireName().equals(text)) {
                return scope;
            }
        }
        throw new IllegalArgumentException("unknown scope '" + text + "': use ingest, read or admin");
    }
}
