package dev.mos.auth;

import java.util.Set;

/** One accepted token, known only by the SHA-256 digest of its text. */
public record TokenEntry(String name, Set<Scope> scopes, byte[] sha256) {

    public TokenEntry {
        scopes = Set.copyOf(scopes);
        sha256 = sha256.clone();
    }

    public Caller caller() {
        return new Caller(name, scopes);
    }
}
