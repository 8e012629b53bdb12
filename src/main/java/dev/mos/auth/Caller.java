package dev.mos.auth;

import java.util.Set;

/** Whoever presented a valid token: the token's name (recorded, never the token) and what it may do. */
public record Caller(String name, Set<Scope> scopes) {

    /** The request attribute under which the HTTP layer keeps the authenticated caller. */
    public static final String ATTRIBUTE = "dev.mos.auth.caller";

    public Caller {
        scopes = Set.copyOf(scopes);
    }

    public boolean may(Scope scope) {
        return scopes.contains(scope);
    }
}
